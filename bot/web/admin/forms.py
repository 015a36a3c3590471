"""Reading admin form posts defensively: size limits, one encoding, clear messages."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from bot.web.admin.translations import _

MAX_BODY = 256 * 1024
MAX_FIELDS = 1000
# A vacancy file of a few thousand offers fits; anything larger goes through `puente vacancies import`.
MAX_UPLOAD = 2 * 1024 * 1024


class FormError(ValueError):
    """Malformed or oversized input; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Upload:
    """A file sent with a form: its name as the browser gave it, and its bytes."""

    filename: str
    data: bytes


class Form:
    def __init__(self, pairs: list[tuple[str, str]], files: dict[str, Upload] | None = None) -> None:
        self.pairs = pairs
        self.files = files or {}
        self.values: dict[str, str] = {}
        for key, value in pairs:
            self.values.setdefault(key, value)

    def get(self, name: str, default: str = "", *, limit: int = 200) -> str:
        value = self.values.get(name, default)
        if len(value) > limit:
            raise FormError(_("'%(name)s' is too long: %(length)s characters, at most %(limit)s")
                            % {"name": name, "length": len(value), "limit": limit})
        return value

    def require(self, name: str, *, limit: int = 200) -> str:
        value = self.get(name, limit=limit).strip()
        if not value:
            raise FormError(_("'%(name)s' is missing") % {"name": name})
        return value

    def number(self, name: str) -> int:
        raw = self.require(name, limit=12)
        if not raw.isdigit():
            raise FormError(_("'%(name)s' must be a whole number") % {"name": name})
        return int(raw)

    def every(self, name: str, *, limit: int = 200) -> list[str]:
        """All values of a repeated field (checkboxes)."""
        found = [value for key, value in self.pairs if key == name]
        if any(len(value) > limit for value in found):
            raise FormError(_("a value of '%(name)s' is too long (at most %(limit)s characters)")
                            % {"name": name, "limit": limit})
        return found

    def file(self, name: str) -> Upload:
        upload = self.files.get(name)
        if upload is None or not upload.data:
            raise FormError(_("choose a file to upload (it is missing or empty)"))
        return upload

    def prefixed(self, prefix: str) -> dict[str, str]:
        return {k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}


async def read_form(request: Request, max_bytes: int = MAX_BODY) -> Form:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not kind and request.headers.get("content-length", "0") == "0":
        return Form([])  # an empty post: still checked for its CSRF token by the caller
    if kind != "application/x-www-form-urlencoded":
        raise FormError(_("this form accepts only ordinary form posts"), 415)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FormError(_("the form is too large (at most %(kb)s KB)") % {"kb": max_bytes // 1024}, 413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise FormError(_("the form is too large (at most %(kb)s KB)") % {"kb": max_bytes // 1024}, 413)
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except UnicodeDecodeError:
        raise FormError(_("the form is not valid UTF-8 text")) from None
    except ValueError:
        raise FormError(_("the form has too many fields or is malformed")) from None
    return Form(pairs)


async def read_upload(request: Request, max_bytes: int = MAX_UPLOAD) -> Form:
    """A multipart form with at most one file, read whole up to `max_bytes`, then parsed."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "multipart/form-data":
        raise FormError(_("this form sends a file: choose one and use the form's button"), 415)
    too_large = FormError(_("the file is too large (at most %(mb)s MB); split it, or ask the server's "
                            "administrator to use `puente vacancies import`") % {"mb": max_bytes // (1024 * 1024)}, 413)
    declared = request.headers.get("content-length", "")
    # The form's other fields and the multipart framing take a few KB besides the file.
    limit = max_bytes + 16 * 1024
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large

    async def replay():  # type: ignore[no-untyped-def]
        yield bytes(body)

    parser = MultiPartParser(request.headers, replay(), max_files=1, max_fields=20, max_part_size=64 * 1024)
    try:
        data = await parser.parse()
    except MultiPartException as error:
        raise FormError(_("the upload is malformed or has too many parts (%(reason)s)") % {"reason": error.message}) from None
    pairs: list[tuple[str, str]] = []
    files: dict[str, Upload] = {}
    try:
        for key, value in data.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                if len(content) > max_bytes:
                    raise too_large
                files[key] = Upload((value.filename or "")[:200], content)
            else:
                pairs.append((key, value))
    finally:
        await data.close()
    return Form(pairs, files)
