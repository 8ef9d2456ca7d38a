"""The full-screen workbench (Textual). It uses the domain and storage layers, never the reverse."""
