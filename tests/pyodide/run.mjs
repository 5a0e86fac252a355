// Run the core's pure-Python tests inside Pyodide, with no network: Pyodide, micropip,
// the project's wheel and the test tools all come from local files.
//   node run.mjs PYODIDE_DIR WHEELS_DIR PROJECT_WHEEL TESTS_DIR TEST_FILE...
// Prints the line "OUTCOMES {json}" of tests/pyodide/outcomes.py.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelsDir, projectWheel, testsDir, ...testFiles] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });

const wheels = readdirSync(wheelsDir).filter((name) => name.endsWith(".whl"));
const micropip = wheels.find((name) => name.startsWith("micropip-"));
await pyodide.loadPackage(join(wheelsDir, micropip));

pyodide.FS.mkdirTree("/wheels");
const toInstall = [...wheels.filter((name) => name !== micropip).map((name) => join(wheelsDir, name)), projectWheel];
for (const path of toInstall) {
  pyodide.FS.writeFile("/wheels/" + basename(path), readFileSync(path));
}

// The tests, as files: conftest, helpers and the chosen test modules.
function copyTree(source, target) {
  pyodide.FS.mkdirTree(target);
  for (const name of readdirSync(source)) {
    const from = join(source, name);
    if (statSync(from).isDirectory()) {
      if (name !== "__pycache__") copyTree(from, target + "/" + name);
    } else if (name.endsWith(".py")) {
      pyodide.FS.writeFile(target + "/" + name, readFileSync(from));
    }
  }
}
copyTree(testsDir, "/work/tests");

pyodide.globals.set("wheel_names", toInstall.map((path) => basename(path)));
pyodide.globals.set("test_files", testFiles);
await pyodide.runPythonAsync(`
import micropip, os, sys
for name in wheel_names:
    await micropip.install("emfs:/wheels/" + name, deps=False)
import openness_xl  # the installed wheel, not a copy of the sources
assert openness_xl.__file__.startswith(sys.prefix) or "site-packages" in openness_xl.__file__, openness_xl.__file__
os.chdir("/work")
sys.path.insert(0, "/work/tests/pyodide")
import outcomes
result = outcomes.run(["tests/" + name for name in test_files])
import json
print("OUTCOMES " + json.dumps(result, sort_keys=True))
print("PYTHON " + sys.version.split()[0])
`);
