#!/usr/bin/env bash
# Synthesizes main.go the way a Go user would: a module of its own (this folder's go.mod and go.sum) that takes
# the library from the Go module `npm run package` built, through a `replace` to dist-pacmak/go, and
# aws-cdk-go from the Go module proxy; esbuild installed by npm in the same project folder (package.json +
# package-lock.json: NodejsFunction and the in-process bundler resolve the project root and esbuild from the
# lock file found from the working directory up). The app is built with the usual environment (the Go
# toolchain, and the same cgo setting as jsii-pacmak's build, so Go's build cache is shared), then run with
# PATH holding only `node`, so no `esbuild` or `npx` command can stand in for the in-process bundler.
# Go's own caches (GOMODCACHE, GOCACHE) keep the downloaded and compiled aws-cdk-go between runs.
# go.sum is committed, so the build verifies every module against it; a module it lacks (after the package's
# requirements move) is checked by the go command against the checksum database, which it reaches
# through the module proxy here, so GONOSUMDB/GOSUMDB stay unset.
# Usage: test/jsii/go-app/run.sh OUT_DIR   (writes the cloud assembly to OUT_DIR)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"

module="$root/dist-pacmak/go/cdkresilientserverless"
[ -f "$module/go.mod" ] || { echo "run.sh: no Go module in dist-pacmak/go; run 'npm run package -- go' first" >&2; exit 2; }
esbuild_version="$(node -p "require('$root/package.json').devDependencies.esbuild")"

project="$(mktemp -d "${TMPDIR:-/tmp}/go-app-XXXXXX")"
trap 'rm -rf "$project"' EXIT
cp "$here/main.go" "$here/go.mod" "$here/go.sum" "$here/../support/checkout.ts" "$here/../support/reports.ts" "$project/"
cd "$project"
go mod edit -replace "github.com/cdk-resilient-serverless/cdk-resilient-serverless-go/cdkresilientserverless=$module"
# -mod=mod: when the library's go.mod moves on (a newer jsii-runtime-go, say), the build takes its
# requirements, as `go get` would, instead of stopping on this folder's go.mod.
go build -mod=mod -o orders .
npm init -y >/dev/null && npm install --save-dev --save-exact --no-audit --no-fund --silent "esbuild@$esbuild_version"

bin="$project/.bin" && mkdir "$bin" && ln -s "$(command -v node)" "$bin/node"
PATH="$bin" CDK_OUTDIR="$out" JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 ./orders
