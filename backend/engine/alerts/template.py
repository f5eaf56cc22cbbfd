"""Alert message templates: str.format fields from a fixed set, checked when the rule is saved."""

from __future__ import annotations

import string
from collections.abc import Mapping

FIELDS = frozenset({"symbol", "exchange", "interval", "price", "value", "time", "rule"})
MAX_TEMPLATE_CHARS = 500


class TemplateError(ValueError):
    pass


def validate_template(template: str) -> str:
    if len(template) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"message template longer than {MAX_TEMPLATE_CHARS} characters")
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(f"malformed message template: {exc}") from None
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        # Attribute and index access ({symbol.__class__}) and format specs are refused:
        # a template is customer input and must not reach into Python objects.
        if field not in FIELDS or spec or conversion:
            raise TemplateError(f"unknown template field {{{field}}}; allowed: {', '.join(sorted(FIELDS))}")
    return template


def render(template: str, values: Mapping[str, object]) -> str:
    return template.format_map({name: values.get(name, "") for name in FIELDS})
