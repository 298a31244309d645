"""What the API reads from a request: a JSON body or query arguments, checked by pydantic.

A refusal never repeats what was sent (a DUF number stays out of every error and log)."""

from flask import request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from api.json_api.errors import ApiError


class Lookup(BaseModel):
    """POST /mappings/lookup."""

    model_config = ConfigDict(extra="forbid")
    duf_number: str = Field(max_length=40)
    questionnaire: str | None = Field(default=None, max_length=60)


class Changes(BaseModel):
    """GET /mappings."""

    model_config = ConfigDict(extra="forbid")
    changed_since: AwareDatetime
    limit: int = Field(default=100, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=200)
    questionnaire: str | None = Field(default=None, max_length=60)


def json_body(model: type[BaseModel]) -> BaseModel:
    """The request's JSON object as `model`; else `ApiError` (400 not JSON, 422 wrong fields)."""
    sent = request.get_json(silent=True)
    if not isinstance(sent, dict):
        raise ApiError(400, "bad_request", "Send a JSON object (Content-Type: application/json).")
    return _checked(model, sent)


def query(model: type[BaseModel]) -> BaseModel:
    """The query arguments as `model` (each given once); else `ApiError` with 422."""
    return _checked(model, request.args.to_dict())


def _checked(model: type[BaseModel], values: dict) -> BaseModel:
    try:
        return model.model_validate(values)
    except ValidationError as invalid:
        found = invalid.errors(include_input=False, include_url=False)
        message = "The request's fields are not valid."
        raise ApiError(422, "invalid_request", message, [_problem(one) for one in found]) from None


def _problem(found: dict) -> dict:
    return {"field": ".".join(str(part) for part in found["loc"]), "message": found["msg"]}
