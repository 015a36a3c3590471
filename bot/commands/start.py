"""`puente start`: the README's first command. Embedded defaults: SQLite, the shipped content,
the local web app (health, admin) on 127.0.0.1, and a console chat in this terminal."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.languages import LANGUAGES
from bot.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("start", help="set up the database and start the web app and a console chat")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--lang", choices=LANGUAGES, help="console chat language (skips the question)")
    parser.add_argument("--user", default="console")
    parser.add_argument("--no-chat", action="store_true", help="only the web app")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from bot.app import build_app
    from bot.commands.chat import ConsoleChat
    from bot.commands.staff import ensure_first_admin
    from bot.vacancies.sample import load_sample_if_empty
    from bot.web.app import create_web_app

    app = build_app(settings)
    ensure_first_admin(app.db)
    load_sample_if_empty(app.db)  # a fresh clone has (fictional) vacancies to find
    web = create_web_app(app)
    config = uvicorn.Config(web, host=args.host, port=args.port, log_level="warning")
    server = uvicorn.Server(config)
    print(f"Puente web app on http://{args.host}:{args.port} (health: /healthz, staff admin: /admin)")
    if args.no_chat:
        server.run()
        app.close()
        return 0

    async def both() -> None:
        # One event loop for the web app and the console: they share the conversation service.
        serving = asyncio.create_task(server.serve())
        print("Console chat: type your messages; /quit to leave.\n")
        await ConsoleChat(app.conversations, args.user, sys.stdin, sys.stdout).run(args.lang)
        server.should_exit = True
        await serving

    try:
        asyncio.run(both())
    finally:
        app.close()
    return 0
