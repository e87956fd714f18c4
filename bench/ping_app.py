"""The smallest FastAPI app: the framework's ceiling on this machine.

`bench/run.py` serves it with the same uvicorn settings as the service it measures
(`uvicorn ping_app:app --app-dir bench`).
"""

from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
async def ping() -> dict[str, str]:
    return {"ping": "pong"}
