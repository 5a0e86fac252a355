"""Run xlwings' own Windows registration of the Excel functions, on Linux.

`xlwings.udfs` is the code behind the add-in's «Import Functions»: it decorates the
functions (`xlfunc`, `xlarg`), writes the VBA wrappers (`generate_vba_wrapper`) and imports
them into the workbook with their help texts (`import_udfs` → `Application.MacroOptions`).
It imports pywin32 at its top, so pywin32 is replaced by stubs here, and the workbook by an
object that records what Excel would receive. Run as a script (a subprocess keeps the stubs
and the Windows decorators out of the test process); it prints JSON.
"""
import json
import sys
import types


def stub_pywin32() -> None:
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pywintypes = types.ModuleType("pywintypes")

    class com_error(Exception):
        pass

    pywintypes.com_error = com_error
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *args, **kwargs: None
    win32com.client = client
    sys.modules.update({"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com,
                        "win32com.client": client})


class Components:
    """VBProject.VBComponents: what «Import Functions» removes and imports."""

    def __init__(self):
        self.imported = ""

    def __call__(self, name):
        return name

    def Remove(self, component):
        raise sys.modules["pywintypes"].com_error("no such component yet")

    def Import(self, path):
        with open(path, encoding="utf-8") as handle:
            self.imported = handle.read()


class Application:
    Version = "16.0"

    def __init__(self):
        self.options = []

    def MacroOptions(self, macro, **options):
        self.options.append({"macro": macro, **options})


class Workbook:
    Name = "live-2025.xlsm"

    def __init__(self):
        self.Application = Application()
        self.VBProject = types.SimpleNamespace(VBComponents=Components())


def main() -> None:
    stub_pywin32()
    import xlwings
    import xlwings.udfs as udfs

    # What xlwings/__init__.py does on Windows: the decorators are the real ones.
    xlwings.func, xlwings.arg, xlwings.ret = udfs.xlfunc, udfs.xlarg, udfs.xlret
    import openness_udfs

    # The module is imported already; xlwings would import it by name from «UDF Modules».
    udfs.udf_modules["openness_udfs"] = {"filename": openness_udfs.__file__, "filetime": None,
                                         "module": openness_udfs}
    book = Workbook()
    udfs.import_udfs("openness_udfs", book)
    functions = {name: getattr(openness_udfs, name).__xlfunc__ for name in openness_udfs.__all__}
    print(json.dumps({
        "vba": book.VBProject.VBComponents.imported,
        "options": book.Application.options,
        "functions": {name: {"args": [a["name"] for a in info["args"]],
                             "vararg": [a["name"] for a in info["args"] if a["vararg"]],
                             "err_to_str": [a["name"] for a in info["args"] if a["options"].get("err_to_str")],
                             "category": info["category"]} for name, info in functions.items()},
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
