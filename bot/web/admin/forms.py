"""Reading admin form posts defensively: size limits, one encoding, clear messages."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

MAX_BODY = 256 * 1024
MAX_FIELDS = 1000


class FormError(ValueError):
    """Malformed or oversized input; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class Form:
    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self.values: dict[str, str] = {}
        for key, value in pairs:
            self.values.setdefault(key, value)

    def get(self, name: str, default: str = "", *, limit: int = 200) -> str:
        value = self.values.get(name, default)
        if len(value) > limit:
            raise FormError(f"'{name}' is too long: {len(value)} characters, at most {limit}")
        return value

    def require(self, name: str, *, limit: int = 200) -> str:
        value = self.get(name, limit=limit).strip()
        if not value:
            raise FormError(f"'{name}' is missing")
        return value

    def number(self, name: str) -> int:
        raw = self.require(name, limit=12)
        if not raw.isdigit():
            raise FormError(f"'{name}' must be a whole number")
        return int(raw)

    def prefixed(self, prefix: str) -> dict[str, str]:
        return {k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}


async def read_form(request: Request, max_bytes: int = MAX_BODY) -> Form:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not kind and request.headers.get("content-length", "0") == "0":
        return Form([])  # an empty post: still checked for its CSRF token by the caller
    if kind != "application/x-www-form-urlencoded":
        raise FormError("this form accepts only ordinary form posts", 415)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FormError(f"the form is too large (at most {max_bytes // 1024} KB)", 413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise FormError(f"the form is too large (at most {max_bytes // 1024} KB)", 413)
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except UnicodeDecodeError:
        raise FormError("the form is not valid UTF-8 text") from None
    except ValueError:
        raise FormError("the form has too many fields or is malformed") from None
    return Form(pairs)
