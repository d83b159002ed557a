"""The ML lead's walk in a real browser: a shared link opens the Serving page with 2M queries a month, a 70B
and a 20B open model, a 3 s limit and data that must stay in-house; the page answers how many GPUs of which
kind, which side is cheaper and from which volume, and which components leave the house."""

from __future__ import annotations

from tests.e2e.browser import BROWSER

pytestmark = BROWSER

QUERY = "q=2000000&llm=together-llama-3.3-70b&ft=fireworks-gpt-oss-20b-lora&p95=3000&ttft=500&in_house=yes"


def test_ml_lead_walk_in_the_browser(page, app_server, idle):
    page.goto(f"{app_server.url}/serving?{QUERY}", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp']", state="attached")
    idle(page, timeout=60_000)
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text()
    assert main.locator("h1").first.inner_text().strip().startswith("Serving")
    assert "At 2M queries a month," in text
    assert "GPUs at 2M queries/month" in text
    assert "× RunPod H100 SXM 80GB at bf16" in text  # count × type × precision
    assert "replicas ×" in text or "replica ×" in text  # and GPUs per replica
    for who in ("Together AI", "Fireworks AI", "OpenAI", "Pinecone", "Cohere"):
        assert who in text  # the components that still leave the house
    assert main.locator(".js-plotly-plot").count() >= 1  # API and self-hosted over volume
    assert "Traceback" not in page.locator("body").inner_text()
