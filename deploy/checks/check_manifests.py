"""Validates the deployment files against their schemas, offline:

- deploy/k8s: the kustomization lists every manifest there and each listed file exists; each
  built-in resource validates (strict: unknown fields are errors) against the Kubernetes OpenAPI
  schemas shipped in the `kubernetes-validate` package, for the oldest and newest Kubernetes versions
  in KUBERNETES_VERSIONS; KEDA's ScaledObject / TriggerAuthentication (custom resources, not in
  those schemas) validate against `cloudcoil-models-keda`, models generated from KEDA's CRDs, plus
  the rabbitmq scaler's metadata rules from KEDA's documentation and the queue names in the code;
  when `kubectl` is installed, what `kubectl kustomize` renders is validated, else each listed file,
  and the overlay the README shows renders;
- docker-compose.yml: against the Compose Specification schema shipped in `check-jsonschema`.

Run inside the venv deploy/checks/run.sh sets up.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from kubernetes_validate import utils as kv

import codefacts
from common import (
    COMPOSE, K8S, SCALED_SERVICE, Report, kustomize_resources, load_yaml_documents, readme_section, rel,
)

# kubernetes-validate reads its (large) schema files again for every resource; they never change.
if not hasattr(kv.schema_contents, "cache_info"):
    kv.schema_contents = functools.lru_cache(maxsize=None)(kv.schema_contents)

# Oldest Kubernetes still maintained by most providers, and the newest the schemas know.
KUBERNETES_VERSIONS = ["1.29.0", kv.latest_version()]

KEDA_KINDS = {"ScaledObject", "TriggerAuthentication", "ClusterTriggerAuthentication", "ScaledJob"}

# The rabbitmq scaler's parameters (keda.sh/docs/latest/scalers/rabbitmq-queue/).
RABBITMQ_METADATA = {
    "host", "hostFromEnv", "usernameFromEnv", "passwordFromEnv", "protocol", "mode", "value",
    "activationValue", "queueName", "vhostName", "useRegex", "excludeUnacknowledged", "pageSize",
    "operation", "timeout", "unsafeSsl",
}
RABBITMQ_MODES = {"QueueLength", "MessageRate", "DeliverGetRate", "PublishedToDeliveredRatio",
                  "ExpectedQueueConsumptionTime"}


# ------------------------------------------------------------------------------------ Kubernetes


def validate_builtin(doc: dict, where: str, r: Report) -> None:
    for version in KUBERNETES_VERSIONS:
        try:
            kv.validate(doc, version, strict=True)
            r.passed += 1
        except kv.ValidationError as e:
            path = ".".join(str(p) for p in e.path)
            r.fail(f"{where}: Kubernetes {e.version} schema: {path}: {e.message}")
        except kv.SchemaNotFoundError as e:
            r.fail(f"{where}: {e.message}")


def unknown_fields(given, dumped, path: str = "") -> list[str]:
    """Keys present in the manifest that the model did not keep: fields the CRD does not define."""
    out = []
    if isinstance(given, dict) and isinstance(dumped, dict):
        for key, value in given.items():
            if key not in dumped:
                out.append(f"{path}.{key}".lstrip("."))
            else:
                out.extend(unknown_fields(value, dumped[key], f"{path}.{key}"))
    elif isinstance(given, list) and isinstance(dumped, list):
        for i, (a, b) in enumerate(zip(given, dumped)):
            out.extend(unknown_fields(a, b, f"{path}[{i}]"))
    return out


def validate_keda(doc: dict, where: str, r: Report) -> None:
    import pydantic
    from cloudcoil.models.keda import v1alpha1

    model = getattr(v1alpha1, doc["kind"], None)
    if not r.check(doc.get("apiVersion") == "keda.sh/v1alpha1" and model is not None,
                   f"{where}: unknown KEDA resource {doc.get('apiVersion')} {doc.get('kind')}"):
        return
    try:
        obj = model.model_validate(doc)
    except pydantic.ValidationError as e:
        for err in e.errors():
            r.fail(f"{where}: KEDA {doc['kind']} schema: {'.'.join(map(str, err['loc']))}: {err['msg']}")
        return
    dumped = obj.model_dump(by_alias=True, exclude_unset=True, mode="json")
    extra = unknown_fields(doc, dumped)
    r.check(not extra, f"{where}: KEDA {doc['kind']} has fields its CRD does not define: {', '.join(extra)}")


def check_scaled_object(doc: dict, where: str, deployments: dict[str, dict], queues: dict[str, str],
                        r: Report) -> None:
    spec = doc.get("spec") or {}
    target = (spec.get("scaleTargetRef") or {}).get("name")
    deployment = deployments.get(target)
    if not r.check(deployment is not None, f"{where}: scaleTargetRef '{target}' is not a Deployment in the base"):
        return
    containers = deployment["spec"]["template"]["spec"]["containers"]
    argv = (containers[0].get("command") or []) + (containers[0].get("args") or [])
    r.check(argv[:1] == [SCALED_SERVICE], f"{where}: scales '{target}', which does not run {SCALED_SERVICE}")
    env_names = {e["name"] for c in containers for e in c.get("env", [])}
    r.check(spec.get("minReplicaCount", 0) >= 1,
            f"{where}: minReplicaCount 0 would stop consuming control notices and retries when queues are empty")

    scaled: set[str] = set()
    for i, trigger in enumerate(spec.get("triggers") or []):
        t_where = f"{where}: triggers[{i}]"
        if trigger.get("type") != "rabbitmq":
            continue
        meta = trigger.get("metadata") or {}
        unknown = set(meta) - RABBITMQ_METADATA
        r.check(not unknown, f"{t_where}: unknown rabbitmq scaler parameters {sorted(unknown)}")
        r.check(meta.get("mode") in RABBITMQ_MODES, f"{t_where}: mode must be one of {sorted(RABBITMQ_MODES)}")
        r.check(meta.get("protocol", "auto") in ("auto", "amqp", "http"), f"{t_where}: protocol must be auto, amqp or http")
        if meta.get("protocol") == "amqp":
            r.check(meta.get("mode") == "QueueLength", f"{t_where}: over amqp only mode QueueLength is available")
        try:
            float(meta.get("value", ""))
            r.passed += 1
        except ValueError:
            r.fail(f"{t_where}: value must be a number in a string, got {meta.get('value')!r}")
        has_host = "host" in meta or "hostFromEnv" in meta or "authenticationRef" in trigger
        r.check(has_host, f"{t_where}: needs host, hostFromEnv or authenticationRef")
        if "hostFromEnv" in meta:
            r.check(meta["hostFromEnv"] in env_names,
                    f"{t_where}: hostFromEnv {meta['hostFromEnv']} is not an env var of the '{target}' container")
        queue = meta.get("queueName")
        r.check(queue in queues.values(), f"{t_where}: queue '{queue}' is not declared by the code ({sorted(queues.values())})")
        scaled.add(queue)
    work_queues = {name for const, name in queues.items() if not const.lower().startswith("dead")}
    missing = work_queues - scaled
    r.check(not missing, f"{where}: no trigger for the work queue(s) {sorted(missing)} declared by the code")


def check_kubernetes(facts: codefacts.CodeFacts, r: Report) -> None:
    listed = kustomize_resources()
    for path in listed:
        r.check(path.exists(), f"deploy/k8s/kustomization.yaml lists {rel(path)}, which does not exist")
    on_disk = {p for p in K8S.glob("*.y*ml") if p.name not in ("kustomization.yaml", "kustomization.yml")}
    for path in sorted(on_disk - set(listed)):
        r.fail(f"{rel(path)} is not listed in deploy/k8s/kustomization.yaml")

    docs = [(path, d) for path in listed if path.exists() for d in load_yaml_documents(path)]
    deployments = {d["metadata"]["name"]: d for _, d in docs if d.get("kind") == "Deployment"}
    for path, doc in docs:
        if doc.get("kind") == "ScaledObject":
            check_scaled_object(doc, f"{rel(path)}: ScaledObject/{doc['metadata'].get('name')}", deployments,
                                facts.queues, r)

    # Every PodDisruptionBudget and Service selects pods that exist.
    for path, doc in docs:
        selector = None
        if doc.get("kind") == "PodDisruptionBudget":
            selector = (doc["spec"].get("selector") or {}).get("matchLabels")
        elif doc.get("kind") == "Service":
            selector = doc["spec"].get("selector")
        if selector:
            matches = [n for n, d in deployments.items()
                       if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()]
            r.check(bool(matches), f"{rel(path)}: {doc['kind']}/{doc['metadata']['name']} selects no Deployment's pods")
    scaled_labels = (deployments.get(SCALED_SERVICE) or {}).get("spec", {}).get("template", {}).get("metadata", {}) \
        .get("labels", {})
    r.check(any(d.get("kind") == "PodDisruptionBudget"
                and d["spec"]["selector"]["matchLabels"].items() <= scaled_labels.items() for _, d in docs),
            f"deploy/k8s: no PodDisruptionBudget covers {SCALED_SERVICE}")

    # Schemas: of what `kubectl apply -k` would send when kubectl can render it, else of each file.
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        print("deploy-check: manifests: kubectl not installed: validating each listed file, not the rendered "
              "kustomization")
        for path, doc in docs:
            validate(doc, f"{rel(path)}: {doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}", r)
        return
    rendered = subprocess.run([kubectl, "kustomize", str(K8S)], capture_output=True, text=True)
    if not r.check(rendered.returncode == 0, f"kubectl kustomize deploy/k8s failed: {rendered.stderr.strip()}"):
        return
    for doc in (d for d in yaml.safe_load_all(rendered.stdout) if d):
        validate(doc, f"kubectl kustomize deploy/k8s: {doc.get('kind')}/{doc['metadata'].get('name')}", r)


def check_readme_overlay(r: Report) -> None:
    """The overlay the README's Deploy section shows (its kustomization plus its patches) renders."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", readme_section("Deploy"), flags=re.S)]
    blocks = [b for b in blocks if isinstance(b, dict)]
    overlay = next((b for b in blocks if b.get("kind") == "Kustomization"), None)
    if not r.check(overlay is not None, "README.md 'Deploy' shows no overlay kustomization.yaml"):
        return
    for b in blocks:
        if b is not overlay:
            overlay.setdefault("patches", []).extend(b.get("patches", []))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "overlays" / "mine"
        folder.mkdir(parents=True)
        for resource in overlay.get("resources", []):
            if str(resource).rstrip("/").endswith("deploy/k8s"):  # the base, wherever the reader cloned it
                link = Path(os.path.normpath(folder / resource))
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(K8S)
        (folder / "kustomization.yaml").write_text(yaml.safe_dump(overlay))
        rendered = subprocess.run([kubectl, "kustomize", str(folder)], capture_output=True, text=True)
    r.check(rendered.returncode == 0,
            f"README.md 'Deploy': the overlay and patches it shows do not render: {rendered.stderr.strip()}")


def validate(doc: dict, where: str, r: Report) -> None:
    if doc.get("kind") in KEDA_KINDS:
        validate_keda(doc, where, r)
    else:
        validate_builtin(doc, where, r)


# ---------------------------------------------------------------------------------------- compose


def check_compose(r: Report) -> None:
    tool = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run([str(tool), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
                            capture_output=True, text=True)
    r.check(result.returncode == 0,
            f"docker-compose.yml does not match the Compose Specification:\n{result.stdout}{result.stderr}")


def main() -> int:
    facts = codefacts.load()
    r = Report("manifests")
    check_kubernetes(facts, r)
    check_readme_overlay(r)
    check_compose(r)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
