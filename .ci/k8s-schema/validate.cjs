#!/usr/bin/env node
// Validates Kubernetes manifests against the Kubernetes API's OpenAPI schemas, as packaged by
// kubernetes-models (types, required fields, enums and formats of every object it knows).
//
//   node validate.cjs docs/k8s/*.yaml     exit 0: every document valid; 1: a document is not
//   node validate.cjs --self-test         checks that broken manifests are rejected
//
// The schemas do not forbid unknown fields, so a misspelt key passes here:
// harness/cli/.../K8sManifestsTest checks the keys poolbench relies on.
"use strict";
const fs = require("fs");
const YAML = require("yaml");

function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    throw new Error("apiVersion and kind must be strings");
  }
  // core/v1 lives at kubernetes-models/v1, apps/v1 at kubernetes-models/apps/v1, ...
  let mod;
  try {
    mod = require("kubernetes-models/" + apiVersion);
  } catch (e) {
    throw new Error("unknown apiVersion " + apiVersion);
  }
  const Model = mod[kind];
  if (typeof Model !== "function") {
    throw new Error("unknown kind " + kind + " in " + apiVersion);
  }
  return Model;
}

/** The problems of one YAML text: one string per invalid document. */
function check(text, origin) {
  const problems = [];
  const docs = YAML.parseAllDocuments(text);
  let n = 0;
  docs.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      problems.push(origin + " document " + (i + 1) + ": YAML: " + doc.errors[0].message);
      return;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) {
      return;
    }
    n++;
    const where = origin + " document " + (i + 1) + " (" + obj.kind + " "
      + (obj.metadata && obj.metadata.name) + ")";
    try {
      new (modelFor(obj.apiVersion, obj.kind))(obj).validate();
    } catch (e) {
      problems.push(where + ": " + e.message);
    }
  });
  if (n === 0) {
    problems.push(origin + ": no Kubernetes object");
  }
  return problems;
}

function selfTest() {
  const broken = [
    "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  completions: \"4\"\n"
      + "  template: {spec: {containers: [{name: c, image: i}]}}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
      + "  template: {spec: {containers: [{image: i}]}}\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: http}]}\n",
    "apiVersion: apps/v1\nkind: Deploymnt\nmetadata: {name: d}\n",
  ];
  const good = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n";
  let ok = check(good, "good").length === 0;
  broken.forEach((t, i) => {
    const p = check(t, "broken-" + i);
    if (p.length === 0) {
      console.error("self-test: broken manifest " + i + " passed");
      ok = false;
    }
  });
  console.log(ok ? "k8s schema self-test: 5 passed, 0 failed" : "k8s schema self-test: failed");
  return ok;
}

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error("usage: validate.cjs FILE.yaml... | --self-test");
  process.exit(2);
}
if (args[0] === "--self-test") {
  process.exit(selfTest() ? 0 : 1);
}
let failed = 0;
for (const f of args) {
  const problems = check(fs.readFileSync(f, "utf8"), f);
  problems.forEach((p) => console.error("k8s schema: " + p));
  if (problems.length > 0) {
    failed++;
  }
}
console.log("k8s schema: " + (args.length - failed) + " passed, " + failed + " failed");
process.exit(failed > 0 ? 1 : 0);
