"""The vacancy search's actions: what to look for, pages of results, one offer, reporting it,
documents, and alerts. The search itself is bot/vacancies/, its tables db/vacancies/."""
