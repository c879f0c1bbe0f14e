"""Dutch personal names: splitting, sorting and search keys. No Django imports."""

from gilde.names.dutch import (
    PersonName,
    display_name,
    fold,
    name_search_text,
    sort_key,
    split_name,
)

__all__ = ["PersonName", "display_name", "fold", "name_search_text", "sort_key", "split_name"]
