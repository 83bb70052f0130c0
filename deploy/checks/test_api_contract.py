"""Tests of the API contract check's static part (api_contract.py): each breaks one thing in a document
that matches the code and expects the check to name it. Run: python3 -m unittest test_api_contract."""

from __future__ import annotations

import copy
import unittest

import api_contract


def matching_document() -> dict:
    """A document with one well-formed operation for every route of the code."""
    paths: dict = {}
    for n, (method, path) in enumerate(sorted(api_contract.code_routes())):
        content = {"application/json": {"schema": {"type": "object"}, "example": {}}}
        paths.setdefault(path, {})[method] = {
            "operationId": f"operation{n}", "tags": ["t"],
            "responses": {"200": {"description": "ok", "content": content}, "401": {"description": "no", "content": content}},
        }
    return {"openapi": "3.1.0", "paths": paths, "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}}


class RouteCoverage(unittest.TestCase):
    def test_the_code_registers_every_dialect(self):
        routes = api_contract.code_routes()
        for route in [("post", "/api/v1/webhooks"), ("get", "/api/v1/webhooks/{webhook_id}/logs"), ("post", "/api/webhooks"),
                      ("post", "/api/webhooks/"), ("post", "/api/webhooks/delete"), ("post", "/api/webhooks/{id}/toggle"),
                      ("put", "/webhook/api/webhook/update"), ("get", "/webhook/api/log/list/{webHookId}"),
                      ("post", "/api/v1/events"), ("post", "/api/auth/login"), ("get", "/healthz")]:
            self.assertIn(route, routes)

    def test_a_matching_document_passes(self):
        self.assertEqual(api_contract.check_routes(matching_document()), [])

    def test_an_undocumented_route_is_named(self):
        doc = matching_document()
        del doc["paths"]["/api/webhooks/{id}/toggle"]
        self.assertIn("POST /api/webhooks/{id}/toggle is served but not in the document", api_contract.check_routes(doc))

    def test_an_operation_no_code_serves_is_named(self):
        doc = matching_document()
        doc["paths"]["/api/v1/nothing"] = {"get": copy.deepcopy(doc["paths"]["/healthz"]["get"]) | {"operationId": "nothing"}}
        self.assertIn("GET /api/v1/nothing is in the document but no code serves it", api_contract.check_routes(doc))

    def test_a_repeated_or_missing_operation_id_is_named(self):
        doc = matching_document()
        doc["paths"]["/readyz"]["get"]["operationId"] = doc["paths"]["/healthz"]["get"]["operationId"]
        doc["paths"]["/metrics"]["get"]["operationId"] = "get_metrics"
        problems = "\n".join(api_contract.check_routes(doc))
        self.assertIn("also names GET /healthz", problems)
        self.assertIn("operationId 'get_metrics' is not camelCase", problems)

    def test_a_missing_example_or_error_is_named(self):
        doc = matching_document()
        op = doc["paths"]["/api/v1/webhooks"]["post"]
        del op["responses"]["200"]["content"]["application/json"]["example"]
        op["responses"].pop("401")
        problems = "\n".join(api_contract.check_routes(doc))
        self.assertIn("POST /api/v1/webhooks 200 application/json: no example", problems)
        self.assertIn("POST /api/v1/webhooks: no error responses", problems)

    def test_schemathesis_failures_are_quoted(self):
        report = "intro\n===== FAILURES =====\n___ GET /x ___\n- ST108 Response violates schema\n\n===== WARNINGS =====\nmore\n"
        self.assertEqual(api_contract.failure_section(report),
                         ["===== FAILURES =====", "___ GET /x ___", "- ST108 Response violates schema"])


if __name__ == "__main__":
    unittest.main()
