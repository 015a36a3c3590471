"""The Telegram baseline: a python-telegram-bot (v22) echo bot with its own webhook server.

PTB's built-in webhook server needs tornado (not installed); this is PTB's documented
"custom webhook" setup instead (examples/customwebhookbot), on the same server stack as
Puente: Starlette under uvicorn with the same settings. Updates go to the Application's
update queue, handlers run concurrently, replies go to the Bot API at BENCH_API_URL through a
connection pool sized for the load.

    python -m bench.baselines.ptb_echo --port 8003 --api http://127.0.0.1:9000 --token ... --secret ...
"""

from __future__ import annotations

import argparse
import hmac

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "?")


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await context.bot.send_message(query.from_user.id, query.data or "?")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api", required=True, help="Bot API base URL (the fake one)")
    parser.add_argument("--token", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--pool", type=int, default=64, help="connections to the Bot API")
    args = parser.parse_args()
    application = (
        Application.builder().token(args.token).updater(None)
        .base_url(f"{args.api}/bot").base_file_url(f"{args.api}/file/bot")
        .request(HTTPXRequest(connection_pool_size=args.pool, pool_timeout=30.0))
        .concurrent_updates(True)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(pressed))
    secret = args.secret.encode()

    async def telegram(request: Request) -> Response:
        if not hmac.compare_digest(request.headers.get("x-telegram-bot-api-secret-token", "").encode(), secret):
            return Response(status_code=403)
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        return Response(status_code=200)

    web = Starlette(routes=[Route("/webhooks/telegram", telegram, methods=["POST"]),
                            Route("/healthz", healthz, methods=["GET"])])
    server = uvicorn.Server(uvicorn.Config(web, host="127.0.0.1", port=args.port, log_level="warning",
                                           access_log=False))
    async with application:
        await application.start()
        await server.serve()
        await application.stop()


if __name__ == "__main__":
    import uvloop

    uvloop.run(main())
