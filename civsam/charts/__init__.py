"""Charts: pure functions from DataFrames to `Chart`s (a plotly figure, a title that states the finding,
the table behind it and a text alternative). Pages, the presentation and exported decks use the same ones."""
