"""The municipality's organisation: förvaltningar (departments) and life-event topics."""
