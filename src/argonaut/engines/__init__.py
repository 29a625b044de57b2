"""Layer `engines` (see DESIGN.md section 1). Built by a later issue."""
