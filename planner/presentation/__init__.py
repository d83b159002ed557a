"""The presentation layer: one estimate and recommendation said the same way on the screen, in the CLI, the JSON
and the PDF. Pure (no streamlit); reads the engine and the questionnaire, never the reverse.

  output        the CLI's table and the JSON document
  verdict       the headline verdict, the warnings worth a stakeholder's time, the unverified prices
  readouts      the figures a page shows beside its chart (one option's spend, latency, break-evens)
  serving_view  API versus self-hosted as rows and sentences
  ticks         axis ticks (round numbers, 1-2-5 steps, log decades) for the screen's charts and the PDF's
  fields        field names in words and the unit a figure's name states, for the screen and the PDF
"""
