"""Named-entity taggers (Kazakh CRF, Russian natasha) and their evaluation on public corpora."""
