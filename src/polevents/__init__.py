"""polevents: political event data from the news."""
