"""The staff web admin at /admin: one module per page in pages/, templates beside them.

A page module has `routes(admin) -> list[Route]` (each route names the permission it needs)
and may have `NAV = [NavItem(...)]`. Add a feature's pages by adding its module to PAGES."""

from __future__ import annotations

import importlib

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from bot.app import App
from bot.web.admin.site import HERE, Admin, NotFound

PAGES: tuple[str, ...] = (
    "bot.web.admin.pages.login",
    "bot.web.admin.pages.dashboard",
    "bot.web.admin.pages.network",
    "bot.web.admin.pages.needs",
    "bot.web.admin.pages.content",
    "bot.web.admin.pages.translations",
    "bot.web.admin.pages.topics",
    "bot.web.admin.pages.examples",
    "bot.web.admin.pages.values",
    "bot.web.admin.pages.places",
    "bot.web.admin.pages.publishing",
    "bot.web.admin.pages.simulator",
    "bot.web.admin.pages.vacancies",
    "bot.web.admin.pages.vacancy_upload",
    "bot.web.admin.pages.vacancy_flags",
    "bot.web.admin.pages.handoffs",
    "bot.web.admin.pages.handoff",
    "bot.web.admin.pages.unanswered",
    "bot.web.admin.pages.registrations",
    "bot.web.admin.pages.registration_export",
    "bot.web.admin.pages.organizations",
    "bot.web.admin.pages.staff",
    "bot.web.admin.pages.audit",
    "bot.web.admin.pages.account",
)


def routes(app: App, pages: tuple[str, ...] = PAGES) -> list[BaseRoute]:
    admin = Admin(app)
    found: list[BaseRoute] = [Mount("/admin/static", StaticFiles(directory=HERE / "static"), name="admin_static")]
    for name in pages:
        module = importlib.import_module(name)
        admin.nav += getattr(module, "NAV", [])
        found += module.routes(admin)
    found.append(NotFound(admin))
    app.admin = admin  # type: ignore[attr-defined] - tests move its clock
    return found
