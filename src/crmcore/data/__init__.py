"""Data files shipped with crmcore: the demo data set in ``demo/``, the column mappings of
HubSpot and Salesforce exports in ``mappings/`` (read by ``ColumnMapping.builtin``)."""
