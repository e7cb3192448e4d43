#!/usr/bin/env bash
# Synthesizes app.py the way a Python user would: the wheel `npm run package` built, aws-cdk-lib from PyPI
# at the library's peer floor, a project folder of its own with esbuild installed by npm (package.json +
# package-lock.json: NodejsFunction and the in-process bundler resolve the project root and esbuild from the
# lock file found from the working directory up). PATH holds only `node`, so no `esbuild` or `npx` command
# can stand in for the in-process bundler.
# Usage: test/jsii/python-app/run.sh OUT_DIR   (writes the cloud assembly to OUT_DIR)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"

wheel="$(ls "$root"/dist-pacmak/python/*.whl 2>/dev/null | head -1 || true)"
[ -n "$wheel" ] || { echo "run.sh: no wheel in dist-pacmak/python; run 'npm run package' first" >&2; exit 2; }
cdk_version="$(node -p "require('$root/test/floor/pinned/package.json').dependencies['aws-cdk-lib']")"
constructs_version="$(node -p "require('$root/package.json').devDependencies.constructs")"
esbuild_version="$(node -p "require('$root/package.json').devDependencies.esbuild")"

# The venv is kept between runs (git-ignored .tmp/); the library is reinstalled from this run's wheel.
venv="$root/.tmp/jsii-python/venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "aws-cdk-lib==$cdk_version" "constructs==$constructs_version"
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"

project="$(mktemp -d "${TMPDIR:-/tmp}/python-app-XXXXXX")"
trap 'rm -rf "$project"' EXIT
cp "$here/app.py" "$here/../support/checkout.ts" "$here/../support/reports.ts" "$project/"
(cd "$project" && npm init -y >/dev/null && npm install --save-dev --save-exact --no-audit --no-fund --silent "esbuild@$esbuild_version")

bin="$project/.bin" && mkdir "$bin" && ln -s "$(command -v node)" "$bin/node"
cd "$project"
PATH="$bin" CDK_OUTDIR="$out" JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 "$venv/bin/python" app.py
