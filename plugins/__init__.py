"""Platform plugins bundled with SeatDesk; each imports only desktop.sdk."""
