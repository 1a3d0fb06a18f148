"""Streamlit pages (thin) and the pure builders they call."""
