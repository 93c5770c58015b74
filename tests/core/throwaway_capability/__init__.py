"""A throwaway capability for tests/core/test_capabilities.py: a page, an API router, a task and a
demo loader, wired only when a test registers its manifest."""
