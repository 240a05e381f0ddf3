"""The Qt application shell: QApplication set-up, main window, About, start-up."""
