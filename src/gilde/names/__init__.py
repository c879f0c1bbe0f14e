"""Dutch personal names: splitting, sorting and search keys. No Django imports."""

from gilde.names.dutch import (
    PersonName,
    display_name,
    fold,
    sort_key,
    split_name,
)
from gilde.names.search import name_search_text, query_words, search_words

__all__ = [
    "PersonName",
    "display_name",
    "fold",
    "name_search_text",
    "query_words",
    "search_words",
    "sort_key",
    "split_name",
]
