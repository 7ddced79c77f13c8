"""PySide6 widgets of SeatDesk; the composition root (desktop/app.py) starts them
through `desktop.ui.application.create_application` and `desktop.ui.mainwindow.MainWindow`.

Kept empty on purpose: importing `desktop.ui` must stay cheap for the start-up target.
"""
