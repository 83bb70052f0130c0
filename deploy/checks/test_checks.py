"""Tests of the deployment checks: each breaks one thing in a copy of the repository and expects the
check that guards it to fail, naming it. A check that cannot fail guards nothing.

  python3 -m unittest test_checks.ConfigChecks                        (run.sh config)
  DEPLOY_CHECKS_BIN_DIR=DIR python3 -m unittest test_checks.LinkedPackages   (run.sh libs DIR)
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

import yaml

SOURCE = Path(os.environ.get("DEPLOY_CHECKS_REPO") or Path(__file__).resolve().parents[2])
COPIED = ["Package.swift", "README.md", "docker-compose.yml", ".env.example", "Shared", "Services", "Tests",
          "deploy/docker", "deploy/k8s"]


class RepoCopy(unittest.TestCase):
    """A copy of what the checks read; every test starts from a pristine one."""

    tmp: Path
    pristine: Path

    @classmethod
    def setUpClass(cls):
        cls.pristine = Path(tempfile.mkdtemp(prefix="deploy-checks-pristine-"))
        for item in COPIED:
            src, dst = SOURCE / item, cls.pristine / item
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".build", "__pycache__"))
            else:
                shutil.copy2(src, dst)
        cls.tmp = Path(tempfile.mkdtemp(prefix="deploy-checks-"))
        os.environ["DEPLOY_CHECKS_REPO"] = str(cls.tmp)
        import codefacts

        cls.package = codefacts.dump_package(cls.pristine)  # the tests never change Package.swift

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        shutil.rmtree(cls.pristine, ignore_errors=True)

    def setUp(self):
        if not any(self.tmp.iterdir()):
            shutil.copytree(self.pristine, self.tmp, dirs_exist_ok=True)
        self.touched: list[str] = []
        # Reload so every module reads this copy.
        import codefacts
        import common

        for module in (common, codefacts):
            importlib.reload(module)
        codefacts.dump_package = lambda repo=None: self.package
        for name in ("check_settings", "check_manifests", "check_linked_packages"):
            if name in sys.modules:
                importlib.reload(sys.modules[name])

    def tearDown(self):
        for path in self.touched:  # put back what the test changed
            original = self.pristine / path
            if original.exists():
                shutil.copy2(original, self.tmp / path)
            else:
                (self.tmp / path).unlink(missing_ok=True)

    # --- editing the copy

    def write_file(self, path: str, text: str):
        self.touched.append(path)
        (self.tmp / path).write_text(text)

    def edit_yaml(self, path: str, edit, index: int | None = None):
        """Loads the YAML documents of `path`, lets `edit` change them, writes them back."""
        self.touched.append(path)
        file = self.tmp / path
        docs = list(yaml.safe_load_all(file.read_text()))
        edit(docs[index] if index is not None else docs[0] if len(docs) == 1 else docs)
        file.write_text(yaml.safe_dump_all(docs, sort_keys=False))

    def edit_text(self, path: str, pattern: str, replacement: str, flags=0):
        self.touched.append(path)
        file = self.tmp / path
        text, n = re.subn(pattern, replacement, file.read_text(), flags=flags)
        self.assertGreater(n, 0, f"test setup: {pattern!r} not found in {path}")
        file.write_text(text)

    def doc(self, docs: list[dict], kind: str, name: str) -> dict:
        return next(d for d in docs if d and d["kind"] == kind and d["metadata"]["name"] == name)

    # --- running checks

    def errors(self, *checks) -> list[str]:
        import codefacts
        from common import Report

        facts = codefacts.load()
        r = Report("test")
        for check in checks:
            check(facts, r)
        return r.errors

    def assertFails(self, errors: list[str], *fragments: str):
        for fragment in fragments:
            self.assertTrue(any(fragment in e for e in errors), f"no failure mentions {fragment!r}: {errors}")


class ConfigChecks(RepoCopy):
    def settings(self):
        import check_settings as s

        return self.errors(s.check_readme, s.check_compose, s.check_kubernetes, s.check_image)

    def manifests(self, part: str = "kubernetes"):
        import check_manifests as m

        if part == "compose":
            return self.errors(lambda facts, r: m.check_compose(r))
        return self.errors(m.check_kubernetes, lambda facts, r: m.check_readme_overlay(r))

    def test_pristine_copy_passes(self):
        self.assertEqual(self.settings(), [])
        self.assertEqual(self.manifests("kubernetes"), [])
        self.assertEqual(self.manifests("compose"), [])

    # --- settings

    def test_new_setting_in_code_must_reach_compose_and_readme(self):
        self.write_file("Services/Delivery/App/SelfTestKnob.swift",
            'import ServiceKit\n\nfunc knob(_ environment: Environment) throws -> Int {\n'
            '    try environment.int("DELIVERY_SELFTEST_KNOB", default: 5, in: 1...9)\n}\n')
        errors = self.settings()
        self.assertFails(errors, "service 'delivery': does not name DELIVERY_SELFTEST_KNOB",
                         "'Settings' table lacks DELIVERY_SELFTEST_KNOB")

    def test_helper_reads_count_for_their_callers(self):
        # jwtSecret() reads JWT_SECRET: ingest calls it, so its compose service must set it.
        self.edit_yaml("docker-compose.yml", lambda c: c["services"]["ingest"]["environment"].pop("JWT_SECRET"))
        self.assertFails(self.settings(), "service 'ingest': does not name JWT_SECRET")

    def test_compose_sets_a_name_no_code_reads(self):
        self.edit_yaml("docker-compose.yml",
                       lambda c: c["services"]["registry"]["environment"].update({"LOG_LEVLE": "debug"}))
        self.assertFails(self.settings(), "sets LOG_LEVLE, which registry does not read")

    def test_compose_value_out_of_range(self):
        self.edit_yaml("docker-compose.yml",
                       lambda c: c["services"]["delivery"]["environment"].update({"DELIVERY_PREFETCH": "0"}))
        self.assertFails(self.settings(), "DELIVERY_PREFETCH must be in 1...10000")

    def test_short_jwt_secret_in_env_example(self):
        self.edit_text(".env.example", r"(?m)^JWT_SECRET=.*$", "JWT_SECRET=too-short")
        self.assertFails(self.settings(), "JWT_SECRET must be at least 32 bytes")

    def test_scaled_service_keeps_no_container_name(self):
        self.edit_yaml("docker-compose.yml",
                       lambda c: c["services"]["delivery"].update({"container_name": "delivery"}))
        self.assertFails(self.settings(), "a container_name prevents --scale")

    def test_compose_grace_period_below_request_timeout(self):
        self.edit_yaml("docker-compose.yml",
                       lambda c: c["services"]["delivery"].update({"stop_grace_period": "20s"}))
        self.assertFails(self.settings(), "stop_grace_period 20s is shorter than DELIVERY_REQUEST_TIMEOUT")

    def test_readme_row_missing(self):
        self.edit_text("README.md", r"(?m)^\| `LOG_LEVEL` \|.*\n", "")
        self.assertFails(self.settings(), "'Settings' table lacks LOG_LEVEL")

    def test_deployment_misses_a_required_setting(self):
        def drop(docs):
            container = self.doc(docs, "Deployment", "ingest")["spec"]["template"]["spec"]["containers"][0]
            container["env"] = [e for e in container["env"] if e["name"] != "AMQP_URL"]

        self.edit_yaml("deploy/k8s/ingest.yaml", drop)
        self.assertFails(self.settings(), "ingest requires AMQP_URL")

    def test_kubernetes_grace_follows_configured_timeout(self):
        self.edit_yaml("deploy/k8s/configmap.yaml",
                       lambda docs: self.doc(docs, "ConfigMap", "webhooks-delivery")["data"]
                       .update({"DELIVERY_REQUEST_TIMEOUT": "50"}))
        self.assertFails(self.settings(), "terminationGracePeriodSeconds 60 is shorter than DELIVERY_REQUEST_TIMEOUT (50 s)")

    def test_probe_on_wrong_path(self):
        def edit(docs):
            c = self.doc(docs, "Deployment", "registry")["spec"]["template"]["spec"]["containers"][0]
            c["readinessProbe"]["httpGet"]["path"] = "/healthz"

        self.edit_yaml("deploy/k8s/registry.yaml", edit)
        self.assertFails(self.settings(), "readinessProbe must GET /readyz")

    def test_healthcheck_script_port_default(self):
        self.edit_text("deploy/docker/healthcheck.sh", r"REGISTRY_PORT:-8080", "REGISTRY_PORT:-9090")
        self.assertFails(self.settings(), "registry must use port ${REGISTRY_PORT:-8080}")

    def test_dockerfile_must_ship_every_executable(self):
        self.edit_text("deploy/docker/Dockerfile", r' "\$bin/ingest"', "")
        self.assertFails(self.settings(), "does not copy the executable 'ingest'")

    # --- manifests

    def test_kubernetes_schema_rejects_unknown_fields(self):
        def edit(docs):
            c = self.doc(docs, "Deployment", "delivery")["spec"]["template"]["spec"]["containers"][0]
            c["livenessProbes"] = c.pop("livenessProbe")

        self.edit_yaml("deploy/k8s/delivery.yaml", edit)
        self.assertFails(self.manifests(), "livenessProbes")

    def test_without_kubectl_each_file_is_validated(self):
        import check_manifests as m
        from unittest import mock

        with mock.patch.object(m.shutil, "which", return_value=None):
            self.assertEqual(self.manifests(), [])
            self.edit_yaml("deploy/k8s/delivery-scaledobject.yaml",
                           lambda so: so["spec"].update({"pollingIntervall": 5}))
            self.edit_yaml("deploy/k8s/registry.yaml",
                           lambda docs: self.doc(docs, "Service", "registry")["spec"].update({"prots": []}))
            self.assertFails(self.manifests(), "spec.pollingIntervall", "prots")

    def test_kubernetes_schema_rejects_wrong_types(self):
        self.edit_yaml("deploy/k8s/registry.yaml",
                       lambda docs: self.doc(docs, "Deployment", "registry")["spec"].update({"replicas": "two"}))
        self.assertFails(self.manifests(), "Deployment/registry: Kubernetes")

    def test_scaledobject_unknown_field(self):
        self.edit_yaml("deploy/k8s/delivery-scaledobject.yaml",
                       lambda so: so["spec"].update({"pollingIntervall": 5}))
        self.assertFails(self.manifests(), "fields its CRD does not define: spec.pollingIntervall")

    def test_scaledobject_metadata_must_be_strings(self):
        self.edit_yaml("deploy/k8s/delivery-scaledobject.yaml",
                       lambda so: so["spec"]["triggers"][0]["metadata"].update({"value": 200}))
        self.assertFails(self.manifests(), "KEDA ScaledObject schema: spec.triggers.0.metadata.value")

    def test_scaledobject_queue_names_come_from_code(self):
        self.edit_yaml("deploy/k8s/delivery-scaledobject.yaml",
                       lambda so: so["spec"]["triggers"][1]["metadata"].update({"queueName": "webhooks.delivery"}))
        self.assertFails(self.manifests(), "queue 'webhooks.delivery' is not declared by the code",
                         "no trigger for the work queue(s) ['webhooks.deliver']")

    def test_scaledobject_target(self):
        self.edit_yaml("deploy/k8s/delivery-scaledobject.yaml",
                       lambda so: so["spec"]["scaleTargetRef"].update({"name": "deliveries"}))
        self.assertFails(self.manifests(), "scaleTargetRef 'deliveries' is not a Deployment")

    def test_kustomization_lists_every_manifest(self):
        self.write_file("deploy/k8s/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
        self.edit_text("deploy/k8s/kustomization.yaml", r"  - ingest.yaml\n", "  - ingest.yaml\n  - missing.yaml\n")
        self.assertFails(self.manifests(), "extra.yaml is not listed", "lists deploy/k8s/missing.yaml, which does not exist")

    @unittest.skipUnless(shutil.which("kubectl"), "needs kubectl")
    def test_readme_overlay_must_render(self):
        # The README's patch that drops the ScaledObject names it.
        self.edit_yaml("deploy/k8s/delivery-scaledobject.yaml", lambda so: so["metadata"].update({"name": "scaler"}))
        self.assertFails(self.manifests(), "the overlay and patches it shows do not render")

    def test_compose_schema(self):
        self.edit_yaml("docker-compose.yml",
                       lambda c: c["services"]["registry"]["depends_on"]["postgres"].update({"condition": "healthy"}))
        self.assertFails(self.manifests("compose"), "does not match the Compose Specification")


@unittest.skipUnless(os.environ.get("DEPLOY_CHECKS_BIN_DIR"), "needs DEPLOY_CHECKS_BIN_DIR (built executables)")
class LinkedPackages(RepoCopy):
    def linked(self):
        import check_linked_packages as l

        bin_dir = Path(os.environ["DEPLOY_CHECKS_BIN_DIR"])
        return self.errors(lambda facts, r: l.check(bin_dir, facts, r))

    def test_pristine_copy_passes(self):
        self.assertEqual(self.linked(), [])

    def test_missing_runtime_package(self):
        self.edit_text("deploy/docker/Dockerfile", r"\blibrabbitmq4 ", "")
        self.assertFails(self.linked(), "librabbitmq.so.4 from package librabbitmq4")

    def test_swift_runtime_must_be_static_or_copied(self):
        self.edit_text("deploy/docker/Dockerfile", r" --static-swift-stdlib", "")
        self.assertFails(self.linked(), "the binaries load Swift runtime libraries")


if __name__ == "__main__":
    unittest.main()
