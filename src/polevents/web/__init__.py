"""The analyst's view: a JSON API and a dashboard over a polevents database (`polevents serve`)."""
