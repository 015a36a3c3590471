"""The translation workspace: per language, the texts to translate or review (filters, search),
the "reviewed by a native speaker" mark, and the .po file to download for Poedit or Weblate and
to upload again (checked, merged into the draft, with a report). Translators change only their
languages' translations; the Spanish source and publishing stay with editors."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from bot.content import translating
from bot.content.editing import MAX_TEXT, EditRefused, merge_catalogs
from bot.content.overview import FUZZY, REVIEW
from bot.languages import LANGUAGES, SOURCE_LANGUAGE
from bot.web.admin.auth import may_translate
from bot.web.admin.pages.content import normalized
from bot.web.admin.forms import FormError
from bot.web.admin.site import CONTENT_LANGUAGE_NAMES, Admin, NavItem, Visit
from bot.web.admin.translations import N_, _
from bot.web.admin.workspace import FILTERS, listing

NAV = [NavItem(N_("Translations"), "/admin/translations", "content.read")]
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)
# Why an uploaded entry was left out, in the admin's words.
REASONS = {
    translating.UNKNOWN: N_("there is no such text any more (removed or renamed): download the file again"),
    translating.OLDER_SOURCE: N_("translated from an older Spanish text: download the file again and "
                                 "translate the new Spanish"),
    translating.PLACEHOLDERS: N_("the placeholders differ from the Spanish text (%(detail)s): copy them exactly"),
    translating.INVALID: N_("refused: %(detail)s"),
    translating.MARKED_FUZZY: N_("marked “needs work” (fuzzy) in the file: left as it was"),
    translating.EMPTY: N_("empty in the file: left as it was"),
}
PROBLEMS = {
    translating.NOT_UTF8: N_("The file is not UTF-8 text. Save it from Poedit or Weblate as a .po file."),
    translating.NOT_PO: N_("The file is not a .po file gettext can read (%(detail)s). Nothing was changed."),
    translating.OTHER_LANGUAGE: N_("The file is for another language (%(detail)s). Nothing was changed."),
}


def routes(admin: Admin) -> list[Route]:
    def language(visit: Visit) -> str:
        lang = visit.request.path_params["lang"]
        if lang not in TRANSLATED:
            raise FormError(_("There is no such language to translate."), 404)
        return lang

    def refused_language(visit: Visit, lang: str) -> Response | None:
        if may_translate(visit.staff, lang):
            return None
        mine = ", ".join(CONTENT_LANGUAGE_NAMES[x] for x in (visit.staff.translates if visit.staff else ())) or "—"
        return admin.error(visit, 403, _("You may change only the translations of your languages (%(languages)s). "
                                         "Ask an administrator to add this one.") % {"languages": mine})

    async def index(visit: Visit) -> Response:
        with admin.db.transaction() as conn:
            parsed = admin.content.working(conn)
        counts = {lang: listing(parsed.view, parsed.names, lang, "all", "", 1).counts for lang in TRANSLATED}
        return admin.render(visit, "translations.html", pack=parsed.pack, languages=TRANSLATED, counts=counts,
                            names=CONTENT_LANGUAGE_NAMES, filters=FILTERS,
                            mine=[lang for lang in TRANSLATED if may_translate(visit.staff, lang)])

    async def workspace(visit: Visit) -> Response:
        lang = language(visit)
        query = visit.request.query_params
        raw_page = query.get("page", "1")
        with admin.db.transaction() as conn:
            parsed = admin.content.working(conn)
        found = listing(parsed.view, parsed.names, lang, query.get("show", "review"), query.get("q", "")[:100],
                        int(raw_page) if raw_page.isdigit() else 1)
        here = {"show": found.show, **({"q": found.query} if found.query else {})}
        return admin.render(visit, "translation.html", pack=parsed.pack, found=found, lang=lang,
                            names=CONTENT_LANGUAGE_NAMES, text_names=parsed.names, filters=FILTERS,
                            editable=may_translate(visit.staff, lang), here=urlencode(here),
                            back=f"/admin/translations/{lang}?{urlencode({**here, 'page': found.page})}",
                            link=lambda **change: f"/admin/translations/{lang}?{urlencode({**here, **change})}")

    async def save(visit: Visit) -> Response:
        lang = language(visit)
        if (refused := refused_language(visit, lang)) is not None:
            return refused
        form = visit.form
        back = form.get("back", limit=300)
        if not back.startswith(f"/admin/translations/{lang}?") or "//" in back or "\\" in back:
            raise FormError(_("the form does not say which page it came from"))
        with admin.db.transaction() as conn:
            pack = admin.app.revisions.working(conn, lock=True)
            parsed = admin.content.of(pack)
            view = parsed.view
            texts, conflicts = {}, []
            for ctx, new in form.prefixed("t:").items():
                row = view.rows.get(ctx)
                if row is None:
                    raise FormError(_("there is no text '%(name)s' (it may have been removed meanwhile)")
                                    % {"name": ctx[:100]})
                cell = row.cells[lang]
                confirm = form.get(f"ok:{ctx}") == "1" and cell.state == FUZZY
                if normalized(new) == cell.text and not confirm:
                    continue
                if normalized(form.get(f"was:{ctx}", limit=MAX_TEXT * 2)) != cell.text:
                    conflicts.append(parsed.names.full(ctx))
                    continue
                texts[ctx] = new
            reviewed = [ctx for ctx in form.every("reviewed", limit=200)
                        if ctx in view.rows and (view.rows[ctx].cells[lang].state == REVIEW or ctx in texts)]
            if conflicts:
                return admin.error(visit, 409, _("Nothing was saved: someone else changed these texts since you "
                                                 "opened the page: %(texts)s. Reload the page to see their version.")
                                   % {"texts": "; ".join(sorted(conflicts))})
            if not texts and not reviewed:
                return admin.redirect(back.removeprefix("/admin"))
            try:
                source = translating.change_translations(pack.source, lang, texts, reviewed)
            except EditRefused as refused:
                return admin.error(visit, 400, _("Nothing was saved: %(reason)s") % {"reason": refused})
            admin.app.revisions.save_draft(conn, source, visit.actor, "translations.edit",
                                           {"language": lang, "texts": sorted(texts)[:50],
                                            "reviewed": sorted(reviewed)[:50]})
        return admin.redirect(back.removeprefix("/admin"), "saved")

    async def download(visit: Visit) -> Response:
        lang = language(visit)
        with admin.db.transaction() as conn:
            pack = admin.app.revisions.working(conn)
        text = pack.source.po(lang) or merge_catalogs(pack.source).po(lang) or ""
        name = f"puente-{lang}-{pack.label}.po"
        return Response(text.encode("utf-8"), media_type="text/x-gettext-translation; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def upload(visit: Visit) -> Response:
        lang = language(visit)
        if (refused := refused_language(visit, lang)) is not None:
            return refused
        file = visit.form.file("file")
        filename = file.filename.replace("\\", "/").rsplit("/", 1)[-1][:100] or "messages.po"
        with admin.db.transaction() as conn:
            pack = admin.app.revisions.working(conn, lock=True)
            parsed = admin.content.of(pack)
            source, report = translating.import_po(pack.source, parsed.view, lang, file.data)
            if report.changed:
                admin.app.revisions.save_draft(conn, source, visit.actor, "translations.upload", {
                    "language": lang, "file": filename, "changed": len(report.changed),
                    "refused": len(report.refused), "skipped": len(report.skipped)})
        problem = _(PROBLEMS[report.problem]) % {"detail": report.detail} if report.problem else ""
        return admin.render(visit, "translation_report.html", status=400 if problem else 200, report=report,
                            lang=lang, filename=filename, problem=problem, names=CONTENT_LANGUAGE_NAMES,
                            text_names=parsed.names, reason_text=reason_text)

    return [
        admin.route("/translations", index, "content.read"),
        admin.route("/translations/{lang}", workspace, "content.read"),
        admin.route("/translations/{lang}", save, "translations.edit", methods=("POST",)),
        admin.route("/translations/{lang}/messages.po", download, "content.read"),
        admin.route("/translations/{lang}/upload", upload, "translations.edit", methods=("POST",), upload=True),
    ]


def reason_text(reason: str, detail: str) -> str:
    return _(REASONS[reason]) % {"detail": detail}
