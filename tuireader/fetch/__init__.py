"""Opening a thread by its address: recognise the site, fetch its machine-readable form, keep a copy.

:mod:`~tuireader.fetch.sites` turns an address into the requests to make (pure),
:mod:`~tuireader.fetch.http` makes them with timeouts and limits,
:mod:`~tuireader.fetch.download` runs a site's requests and joins their answers into one file,
:mod:`~tuireader.fetch.cache` keeps what was fetched, and :mod:`~tuireader.fetch.commands`
is ``tuireader fetch`` and ``tuireader saved``. This module imports nothing, so the
command line pays for HTTP only when it fetches.
"""
