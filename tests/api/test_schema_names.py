"""django-ninja names OpenAPI components by class name: a second schema class of the same name silently
replaces the first in /api/docs and in what schemathesis checks. Every API schema in Bro has its own name."""

from __future__ import annotations

from collections import Counter

import bro.api  # noqa: F401  (imports every app's router, and with it every schema)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_api_schema_class_has_its_own_name():
    from ninja import Schema

    ours = {s for s in _subclasses(Schema) if s.__module__.startswith("bro.")}
    assert len(ours) > 100
    shared = {name: n for name, n in Counter(s.__name__ for s in ours).items() if n > 1}
    assert shared == {}, f"schema names used twice: {shared}"


def test_the_spec_has_a_component_for_every_schema_name():
    from bro.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    assert {"SelfSettlementRequestIn", "RequestIn", "HousingUnitOut", "SettlementUnitOut"} <= set(components)
