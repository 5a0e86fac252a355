"""NumPy imported so that it sorts fast on this CPU: without AVX-512 on AMD Zen 4.

The duplicate check sorts every id's hash (`duplicates.py`). NumPy's sort dispatches to
x86-simd-sort's AVX-512 code wherever the CPU has AVX-512, but on AMD Zen 4 (CPU family 0x19)
that code's compress-to-memory instruction is microcoded and very slow
(numpy/x86-simd-sort#6; OpenJDK turns its AVX-512 sort off on that family, openjdk/jdk#24053).
Measured on an AMD EPYC of that family: 5.9 M hashes sort in 0.36 s with AVX-512 and in 0.07 s
with NumPy's AVX2 code. NumPy chooses its code once, when it is imported, from the
environment variable NPY_DISABLE_CPU_FEATURES; so the records package imports NumPy first,
with AVX-512 turned off on that family only, and puts the environment back as it was. A NumPy
already imported, or a variable the user set, is left alone.
"""
from __future__ import annotations

import os
import platform
import sys
import warnings

VARIABLE = "NPY_DISABLE_CPU_FEATURES"
# NumPy 2.4 names the AVX-512 group X86_V4; earlier versions AVX512F (which takes the rest with
# it). Each version warns of the names it does not know and turns off the ones it does.
AVX512 = "AVX512F X86_V4 AVX512_ICL AVX512_SPR"
ZEN4_FAMILY = 0x19  # Zen 3 (no AVX-512) and Zen 4; Zen 5 is 0x1A and sorts fast with AVX-512


def avx512_sort_is_slow(cpuinfo: str | None = None, processor: str | None = None) -> bool:
    """True on an AMD CPU of family 0x19, from /proc/cpuinfo (Linux) or the processor's
    name (Windows: "AMD64 Family 25 Model 17 Stepping 1, AuthenticAMD")."""
    if cpuinfo is None:
        cpuinfo = _first_processor()
    fields = dict(line.split(":", 1) for line in cpuinfo.splitlines() if ":" in line)
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    if "vendor_id" in fields:
        family = fields.get("cpu family", "")
        return fields["vendor_id"] == "AuthenticAMD" and family.isdigit() and int(family) == ZEN4_FAMILY
    if processor is None:  # no /proc/cpuinfo; on Linux platform.processor() would run `uname -p`
        processor = platform.processor() if sys.platform == "win32" else ""
    words = processor.replace(",", " ").split()
    if "AuthenticAMD" in words and "Family" in words:
        family = words[words.index("Family") + 1:][:1]
        return bool(family) and family[0].isdigit() and int(family[0]) == ZEN4_FAMILY
    return False


def _first_processor() -> str:
    """The first processor's block of /proc/cpuinfo (a few KB at most), or "" elsewhere."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            return handle.read(1 << 14).split("\n\n", 1)[0]
    except OSError:
        return ""


def import_numpy(slow: bool | None = None):
    """NumPy, imported without AVX-512 where its sort is slow (see above); `slow` overrides the
    CPU's answer (for tests)."""
    if "numpy" in sys.modules or VARIABLE in os.environ:
        import numpy

        return numpy
    if not (avx512_sort_is_slow() if slow is None else slow):
        import numpy

        return numpy
    os.environ[VARIABLE] = AVX512
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ImportWarning)  # the names this NumPy does not know
            import numpy
    finally:
        del os.environ[VARIABLE]
    return numpy
