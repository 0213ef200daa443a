#!/usr/bin/env bash
# Nothing to stop: the tests stop the docker-registry processes they start.
exit 0
