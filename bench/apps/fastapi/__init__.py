"""FastAPI apps: `async_app` (async def endpoints) and `sync_app` (plain def endpoints)."""
