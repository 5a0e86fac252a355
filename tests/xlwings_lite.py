"""Call the Excel functions the way xlwings Lite does: Office.js custom functions.

Run with XLWINGS_ON_SERVER=true (so `xw.func` is xlwings' Office.js decorator) and a licence
key setting; argv[1] is the generated main.py. Reads calls as JSON from stdin, each
`[function, [argument matrices…]]`, and prints the function metadata Lite registers and the
results, as JSON.
"""
import asyncio
import importlib.util
import json
import sys

import xlwings
from xlwings.server import custom_functions_call, custom_functions_meta


def main() -> None:
    spec = importlib.util.spec_from_file_location("main", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls = json.load(sys.stdin)
    results = []
    for name, args in calls:
        data = {"func_name": name, "args": args, "version": xlwings.__version__, "client": "Office.js",
                "caller_address": "Расчёт!D5", "culture_info_name": "ru-RU", "date_format": "dd.MM.yyyy",
                "runtime": "1.4"}
        results.append(asyncio.run(custom_functions_call(data, module)))
    print(json.dumps({"meta": custom_functions_meta(module), "results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
