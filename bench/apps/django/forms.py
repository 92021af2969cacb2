"""Plain Django validates a JSON body the idiomatic way: json.loads, then a Form."""

import json
from typing import Any

from django import forms

from bench.apps import common


class CompletionForm(forms.Form):
    user_id = forms.IntegerField(min_value=common.USER_ID_MIN)
    prompt = forms.CharField(min_length=1, max_length=common.PROMPT_MAX_CHARS, strip=False)
    max_tokens = forms.IntegerField(min_value=1, max_value=common.MAX_TOKENS_MAX)
    temperature = forms.FloatField(min_value=0, max_value=common.TEMPERATURE_MAX)


def validate(body: bytes) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(estimate, None) for a valid body, (None, errors) otherwise."""
    try:
        data = json.loads(body)
    except ValueError:
        return None, {"body": ["invalid JSON"]}
    if not isinstance(data, dict):
        return None, {"body": ["expected a JSON object"]}
    form = CompletionForm(data)
    if not form.is_valid():
        return None, form.errors.get_json_data()
    d = form.cleaned_data
    return common.completion_estimate(d["user_id"], d["prompt"], d["max_tokens"]), None
