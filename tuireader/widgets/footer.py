"""The key line at the bottom: Textual's footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.widgets import Footer

Shown = tuple[tuple[str, str, str, bool, str], ...]
"""Each key the footer shows: key, how it is displayed, description, enabled, tooltip."""


class ReaderFooter(Footer):
    """Textual's footer, without rebuilding the same keys again.

    The footer recomposes (a new widget per key, each styled and laid out) whenever the
    bindings of its screen may have changed: on every focus move between the tree and the
    pane, and when a picker or card opens over the reader and closes again, though the keys
    are the same. That is 10-20 ms of a key's time here; the keys shown decide instead.
    """

    _shown: Shown | None = None

    def watch_show_command_palette(self) -> None:
        """A resize across the narrow width drops or brings back ``^p palette``: show that at once."""
        if self.is_mounted:
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        shown = self._keys_shown()
        if shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()

    def _keys_shown(self) -> Shown:
        keys = tuple(
            (binding.key, self.app.get_key_display(binding), binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (*keys, ("", "", "command palette" if self.show_command_palette else "", self.compact, ""))
