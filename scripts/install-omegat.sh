#!/bin/sh
# Install Debian's OmegaT (3.6) for the test that loads our glossary files with OmegaT's own
# readers, when it is missing (about 20 seconds), and a JDK: the test runs a one-file Java
# program with Java's source launcher, which needs the compiler.
set -e
missing=""
[ -f /usr/share/omegat/OmegaT.jar ] || missing="$missing omegat"
command -v javac >/dev/null 2>&1 || missing="$missing default-jdk-headless"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing$missing for the CAT-tool export tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "The OmegaT test needs$missing (apt-get install$missing); it will fail without it." >&2
fi
