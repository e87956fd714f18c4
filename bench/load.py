"""The load bench/run.py puts on a server: the scenarios, the tokens they log in
with, and wrk runs scripted in Lua, each read back as a Result."""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass

from datasets import Dataset

SEED_PASSWORD = "seed-password"
RARE_WORDS = 20_000  # as twitter.adapters.persistence.seeding.RARE_WORDS
LIKERS_PER_THREAD = 50


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str  # may hold {user}, {tweet}, {deep_offset}, {deep_cursor}, {heavy}, {rare}
    auth: str = ""  # "" | "heavy" | "likers"
    method: str = "GET"
    ours_only: bool = False
    connections: int | None = None


SCENARIOS = [
    Scenario("ping (bare FastAPI)", "/ping"),
    Scenario("read user", "/users/{user}"),
    Scenario("read tweet", "/tweets/{tweet}", ours_only=True),
    Scenario("who am I (bearer)", "/users/me", auth="heavy", ours_only=True),
    Scenario("list users", "/users/?limit=50"),
    Scenario("list tweets, first page", "/tweets/?limit=50"),
    Scenario("list tweets, deep by skip", "/tweets/?limit=50&skip={deep_offset}"),
    Scenario(
        "list tweets, deep by cursor", "/tweets/?limit=50&max_id={deep_cursor}", ours_only=True
    ),
    Scenario("a user's tweets", "/users/{user}/tweets/?limit=50"),
    Scenario("a user's likes", "/users/{user}/likes/?limit=50"),
    Scenario("liked tweets", "/users/{user}/liked_tweets/?limit=50"),
    Scenario("followers", "/users/{user}/followers?limit=50", ours_only=True),
    Scenario(
        "home timeline (1,000 followed)",
        "/users/{heavy}/timeline?limit=50",
        auth="heavy",
        ours_only=True,
    ),
    Scenario(
        "notifications (heavy user)",
        "/users/{heavy}/notifications?limit=50",
        auth="heavy",
        ours_only=True,
    ),
    Scenario("thread context", "/tweets/{tweet}/context", ours_only=True),
    Scenario("search, a rare word", "/search/tweets?q=rare{rare}&limit=20", ours_only=True),
    Scenario("search, two common words", "/search/tweets?q=coffee+code&limit=20", ours_only=True),
    Scenario(
        "search, a common and a rare word",
        "/search/tweets?q=the+rare{rare}&limit=20",
        ours_only=True,
    ),
    Scenario("search people by prefix", "/search/users?q=seed12&limit=20", ours_only=True),
    Scenario(
        "search, a rare word, 4 connections",
        "/search/tweets?q=rare{rare}&limit=20",
        ours_only=True,
        connections=4,
    ),
    Scenario(
        "search, two common words, 4 connections",
        "/search/tweets?q=coffee+code&limit=20",
        ours_only=True,
        connections=4,
    ),
    Scenario("like a tweet", "/users/{liker}/likes/", auth="likers", method="POST"),
    Scenario("read tweet, 256 connections", "/tweets/{tweet}", ours_only=True, connections=256),
    Scenario("list tweets, 256 connections", "/tweets/?limit=50", connections=256),
]


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    new_sessions: int | None = None
    """PostgreSQL sessions opened on the server's database during the scenario (ours
    only): 0 when its pools keep every connection they need."""


def login_tokens(base: str, d: Dataset, threads: int) -> dict[str, object]:
    def token(user_id: int) -> str:
        body = urllib.parse.urlencode(
            {"username": f"seed{user_id}@example.com", "password": SEED_PASSWORD}
        ).encode()
        with urllib.request.urlopen(base + "/token", body, timeout=30) as response:
            return str(json.load(response)["access_token"])

    likers = [d.first_user + 1 + i for i in range(threads * LIKERS_PER_THREAD)]
    return {"heavy": token(d.heavy_user), "likers": [(uid, token(uid)) for uid in likers]}


def lua_script(scenario: Scenario, d: Dataset, tokens: dict[str, object], server: str) -> str:
    last_user = d.first_user + d.users - 1
    path = scenario.path.format(
        user="%d",
        tweet="%d",
        heavy=d.heavy_user,
        liker="%d",
        rare="%d",
        deep_offset=int(d.tweets * 0.9),
        deep_cursor=max(d.max_tweet_id // 10, 1),
    )
    header = ""
    if scenario.auth == "heavy" and server == "ours":
        header = f'wrk.headers["Authorization"] = "Bearer {tokens["heavy"]}"'
    likers = tokens["likers"]
    assert isinstance(likers, list)
    liker_table = ",".join(f'{{{uid},"{tok}"}}' for uid, tok in likers)
    return f"""
local threads = {{}}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
local likers = {{{liker_table}}}
local per_thread = {LIKERS_PER_THREAD}
local n = 0
function init(args)
  tid = tonumber(tid) or 0
  math.randomseed(os.time() * 1000 + tid)
end
{header}
wrk.headers["Content-Type"] = "application/json"
local template = "{path}"
local kind = "{scenario.name}"
function request()
  n = n + 1
  if "{scenario.auth}" == "likers" then
    local liker = likers[tid * per_thread + (n % per_thread) + 1]
    local step = {random.randrange(1_000_000)} + tid * 7919 + math.floor(n / per_thread)
    local tweet = {d.max_tweet_id} - (step % {max(d.max_tweet_id, 1)})
    local headers = {{}}
    headers["Content-Type"] = "application/json"
    if "{server}" == "ours" then headers["Authorization"] = "Bearer " .. liker[2] end
    return wrk.format("POST", string.format(template, liker[1]), headers,
                      '{{"tweet_id": ' .. tweet .. '}}')
  end
  local user = math.random({d.first_user}, {last_user})
  local tweet = math.random(1, {max(d.max_tweet_id, 1)})
  local path = template
  if string.find(template, "rare%%d") then
    path = string.format(template, math.random(0, {RARE_WORDS - 1}))
  elseif string.find(template, "/users/%%d") then path = string.format(template, user)
  elseif string.find(template, "/tweets/%%d") then path = string.format(template, tweet) end
  return wrk.format("{scenario.method}", path)
end
"""


def drive(
    base: str,
    scenario: Scenario,
    d: Dataset,
    tokens: dict[str, object],
    server: str,
    args: argparse.Namespace,
) -> Result:
    connections = scenario.connections or args.connections
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(scenario, d, tokens, server))
    try:
        completed = subprocess.run(
            [
                "wrk",
                "-t",
                str(args.threads),
                "-c",
                str(connections),
                "-d",
                f"{args.duration}s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=args.duration + 120,
        )
    finally:
        os.unlink(script.name)
    return parse(completed.stdout)


def parse(output: str) -> Result:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if sockets:
        errors += sum(int(g) for g in sockets.groups())
    return Result(
        rps=float(rps.group(1)) if rps else 0.0,
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        errors=errors,
        requests=int(total.group(1)) if total else 0,
    )
