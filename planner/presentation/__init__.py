"""The presentation layer: one estimate and recommendation said the same way on the screen, in the CLI, the JSON
and the PDF. Pure (no streamlit); reads the engine and the questionnaire, never the reverse.

  output        the CLI's table and the JSON document
  verdict       the headline verdict, the warnings worth a stakeholder's time, the unverified prices
  readouts      the figures a page shows beside its chart (one option's spend, latency, break-evens)
  serving_view  API versus self-hosted as rows and sentences
"""
