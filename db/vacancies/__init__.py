"""The vacancies room of the database: tables, storing offers, searching them (full text on
both backends), alert subscriptions, users' reports, and the staff's list."""
