#!/usr/bin/env bash
# Synthesizes OrdersApp.java the way a Java user would: the jar `npm run package -- java` built, installed into
# the local Maven repository with its pom (so its dependencies resolve as they would from Maven Central, and the
# app's pom.xml stays the one a user of the published artifact writes), aws-cdk-lib from Maven Central at the
# library's peer floor, and a project folder of its own with esbuild installed by npm (package.json +
# package-lock.json: NodejsFunction and the in-process bundler resolve the project root and esbuild from the
# lock file found from the working directory up). PATH holds only `node`, the JDK's `java` and the few commands
# Maven's launcher script calls, so no `esbuild` or `npx` command can stand in for the in-process bundler.
# Maven's own cache (~/.m2/repository) is used; MAVEN_OPTS=-Dmaven.repo.local=DIR points it elsewhere.
# Usage: test/jsii/java-app/run.sh OUT_DIR   (writes the cloud assembly to OUT_DIR)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"

version="$(node -p "require('$root/package.json').version")"
artifact="$root/dist-pacmak/java/io/github/cdk-resilient-serverless/cdk-resilient-serverless/$version"
[ -f "$artifact/cdk-resilient-serverless-$version.jar" ] ||
  { echo "run.sh: no jar in ${artifact#"$root/"}; run 'npm run package -- java' first" >&2; exit 2; }
cdk_version="$(node -p "require('$root/test/floor/pinned/package.json').dependencies['aws-cdk-lib']")"
constructs_version="$(node -p "require('$root/package.json').devDependencies.constructs")"
esbuild_version="$(node -p "require('$root/package.json').devDependencies.esbuild")"
mvn="$(command -v mvn)"

# This run's jar replaces whatever an earlier run installed under the same version.
"$mvn" --batch-mode --quiet org.apache.maven.plugins:maven-install-plugin:3.2.0:install-file \
  -Dfile="$artifact/cdk-resilient-serverless-$version.jar" -DpomFile="$artifact/cdk-resilient-serverless-$version.pom"

project="$(mktemp -d "${TMPDIR:-/tmp}/java-app-XXXXXX")"
trap 'rm -rf "$project"' EXIT
cp -r "$here/pom.xml" "$here/src" "$here/../support/checkout.ts" "$here/../support/reports.ts" "$project/"
(cd "$project" && npm init -y >/dev/null && npm install --save-dev --save-exact --no-audit --no-fund --silent "esbuild@$esbuild_version")

bin="$project/.bin" && mkdir "$bin"
for command in node java uname dirname expr ls tr; do ln -s "$(command -v "$command")" "$bin/$command"; done
cd "$project"
PATH="$bin" CDK_OUTDIR="$out" JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 "$mvn" --batch-mode --quiet \
  -Dcdk.version="$cdk_version" -Dconstructs.version="$constructs_version" -Dresilient.version="$version" \
  compile exec:java
