// The project-local kernel registration and the Python probes behind npm run notebook / report and
// the integration tests. Nothing here needs Jupyter installed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import {
  denoBinary,
  denoKernelSpec,
  denoPlatformPackage,
  installKernel,
  installKernels,
  JUPYTER_INSTALL_HINT,
  jupyterEnv,
  KERNEL_NAME,
  kernelSpec,
  kernelVersion,
  parseKernel,
} from "../../lib/report/jupyter";
import { InputError } from "../../lib/core/errors";
import { chromiumPath, classicNotebook } from "../support/integration";
import { isClassicNotebook, notebookVersion } from "../support/notebook-version";

/** A stand-in `python` that has Jupyter Notebook `version` (answers the probes' `-c` scripts). */
function fakePython(dir: string, version: string): string {
  const file = join(dir, "python3");
  writeFileSync(
    file,
    `#!/bin/sh\ncase "$2" in\n  *find_spec*) echo '{"notebook": true, "jupyter_client": true}' ;;\n  *__version__*) echo "${version}" ;;\n  *) exit 1 ;;\nesac\n`,
  );
  chmodSync(file, 0o755);
  return file;
}

/** Runs `f` with environment variables set (undefined removes one), then puts them back. */
function withEnv<T>(vars: Record<string, string | undefined>, f: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return f();
  } finally {
    apply(saved);
  }
}

describe("installKernel", () => {
  it("writes kernel.json with this Node and this project's tslab, and nothing else", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-kernel-"));
    try {
      const spec = kernelSpec("/usr/bin/node", "/project/node_modules/tslab/bin/tslab", "/project/dist/lib/report/tslab-preload.js");
      const kernel = installKernel(dir, spec);
      assert.equal(kernel, join(dir, "kernels", KERNEL_NAME));
      assert.deepEqual(readdirSync(kernel), ["kernel.json"], "no temporary file left behind");
      const written = JSON.parse(readFileSync(join(kernel, "kernel.json"), "utf8"));
      assert.deepEqual(written.argv, ["/usr/bin/node", "--require", "/project/dist/lib/report/tslab-preload.js", "/project/node_modules/tslab/bin/tslab", "kernel", "--config-path", "{connection_file}"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves an up-to-date kernel.json untouched and replaces a stale one", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-kernel-"));
    try {
      const file = join(installKernel(dir, kernelSpec("/a/node", "/a/tslab")), "kernel.json");
      const inode = statSync(file).ino;
      installKernel(dir, kernelSpec("/a/node", "/a/tslab"));
      assert.equal(statSync(file).ino, inode, "rewritten although unchanged");
      installKernel(dir, kernelSpec("/b/node", "/a/tslab"));
      assert.equal(JSON.parse(readFileSync(file, "utf8")).argv[0], "/b/node");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the Deno kernel", () => {
  it("is registered beside tslab's with the argv `deno jupyter --install` writes, naming the project's deno", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-kernel-"));
    try {
      const installed = installKernels(dir, "/project/node_modules/@deno/linux-x64-glibc/deno");
      assert.deepEqual(readdirSync(join(dir, "kernels")).sort(), ["deno", "tslab"]);
      assert.equal(installed.deno, join(dir, "kernels", "deno"));
      const written = JSON.parse(readFileSync(join(dir, "kernels", "deno", "kernel.json"), "utf8"));
      assert.deepEqual(written.argv, ["/project/node_modules/@deno/linux-x64-glibc/deno", "jupyter", "--kernel", "--conn", "{connection_file}"]);
      assert.equal(written.language, "typescript");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is unregistered when the project has no deno, so Jupyter offers no kernel that cannot start", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-kernel-"));
    try {
      installKernels(dir, "/gone/deno");
      const installed = installKernels(dir, null);
      assert.equal(installed.deno, null);
      assert.deepEqual(readdirSync(join(dir, "kernels")), ["tslab"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs this project's pinned deno, whose version kernelVersion reports", () => {
    const deno = denoBinary();
    assert.ok(deno, "node_modules has no deno binary (npm ci installs the devDependency)");
    assert.deepEqual(denoKernelSpec(deno).argv.slice(0, 1), [deno]);
    const version = spawnSync(deno, ["--version"], { encoding: "utf8" });
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, new RegExp(`^deno ${kernelVersion("deno").replace(/\./g, "\\.")} `));
    assert.equal(kernelVersion("tslab"), JSON.parse(readFileSync(require.resolve("tslab/package.json"), "utf8")).version);
  });

  it("comes from the platform package the deno package's installer would pick", () => {
    assert.equal(denoPlatformPackage("linux", "x64"), "@deno/linux-x64-glibc");
    assert.equal(denoPlatformPackage("linux", "arm64"), "@deno/linux-arm64-glibc");
    assert.equal(denoPlatformPackage("darwin", "arm64"), "@deno/darwin-arm64");
    assert.equal(denoPlatformPackage("win32", "x64"), "@deno/win32-x64");
  });

  it("is chosen with --kernel deno; an unknown kernel is an InputError naming both", () => {
    assert.equal(parseKernel("deno"), "deno");
    assert.equal(parseKernel("tslab"), "tslab");
    assert.throws(() => parseKernel("python3"), (e: unknown) => e instanceof InputError && /--kernel python3: unknown kernel; expected tslab or deno/.test(e.message));
  });
});

describe("Jupyter on this machine", () => {
  it("puts the project's kernel folder first on JUPYTER_PATH, keeping the others", () => {
    assert.equal(jupyterEnv({ JUPYTER_PATH: "/x" }, "/k").JUPYTER_PATH, ["/k", "/x"].join(process.platform === "win32" ? ";" : ":"));
  });

  it("tells Notebook 6 (the classic interface) from 7 (built on JupyterLab)", () => {
    assert.equal(isClassicNotebook("6.4.12"), true);
    assert.equal(isClassicNotebook("5.7.2"), true);
    assert.equal(isClassicNotebook("7.0.0"), false);
    assert.equal(isClassicNotebook("7.3.2"), false);
  });

  it("reads notebook.__version__, and finds none where there is no Python", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-python-"));
    try {
      assert.equal(notebookVersion(fakePython(dir, "7.2.1")), "7.2.1");
      assert.equal(notebookVersion("/nonexistent/python3"), null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("skips the notebook UI test on Notebook 7 with the reason, and fails it under CI=true", { skip: chromiumPath() ? false : "needs Chromium" }, () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-python-"));
    try {
      const python = fakePython(dir, "7.2.1");
      const skipped = withEnv({ DIGITS_PYTHON: python, CI: undefined }, () => classicNotebook());
      assert.equal(skipped.python, null);
      assert.match(String(skipped.skip), /drives the classic Jupyter Notebook 6 interface .* has notebook 7\.2\.1 \(7\.x is built on JupyterLab\)\. .*pip install "notebook<7"/);
      assert.throws(() => withEnv({ DIGITS_PYTHON: python, CI: "true" }, () => classicNotebook()), /^Error: CI=true but this test drives the classic/);
      const six = withEnv({ DIGITS_PYTHON: fakePython(dir, "6.4.12"), CI: "true" }, () => classicNotebook());
      assert.deepEqual(six, { skip: false, python: join(dir, "python3") });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("suggests installing Notebook 6, not the 7.x a plain pip install would give", () => {
    assert.match(JUPYTER_INSTALL_HINT, /pip install "notebook<7"/);
    assert.match(JUPYTER_INSTALL_HINT, /apt-get install .*jupyter-notebook/);
  });
});
