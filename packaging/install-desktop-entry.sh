#!/bin/sh
# Add Thread Kitchen to your applications menu (current user only, no root needed).
# Run it from the unpacked archive:  ./install-desktop-entry.sh
# Undo: rm ~/.local/share/applications/thread-kitchen.desktop ~/.local/share/icons/hicolor/*/apps/thread-kitchen.*
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$data/applications" "$data/icons"
cp -R "$here/icons/hicolor" "$data/icons/"
sed "s|^Exec=thread-kitchen|Exec=\"$here/thread-kitchen/thread-kitchen\"|" \
    "$here/thread-kitchen.desktop" > "$data/applications/thread-kitchen.desktop"
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$data/applications" || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
fi
echo "Thread Kitchen is now in your applications menu (Education); it runs $here/thread-kitchen/thread-kitchen"
