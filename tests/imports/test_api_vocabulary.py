"""The API names the import and export formats and merge fields the services know."""


def test_the_api_names_every_import_export_and_merge_field_it_knows():
    from typing import get_args

    from gilde.imports.api import ExportFormat, ImportFormat, MergeField
    from gilde.imports.exports import EXPORT_FORMATS
    from gilde.interchange import FORMATS
    from gilde.relations.merge import MERGE_FIELDS

    assert set(get_args(ImportFormat)) == {"auto", *FORMATS}
    assert set(get_args(ExportFormat)) == set(EXPORT_FORMATS)
    assert set(get_args(MergeField)) == set(MERGE_FIELDS)
