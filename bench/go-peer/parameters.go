package main

import (
	"fmt"
	"strconv"
	"strings"
)

// Parameters builds the driver's parameter map from REGSTORE_TEST_<DRIVER>_* (lower-cased names,
// as DriverBench reads them) and the bench root. Keys 2.8.2 does not know (forcepathstyle: 2.8.2
// forces path style whenever regionendpoint is set) are ignored by its drivers.
func Parameters(driver, root string, environ []string) (map[string]interface{}, error) {
	parameters := map[string]interface{}{}
	prefix := "REGSTORE_TEST_" + strings.ToUpper(driver) + "_"
	for _, entry := range environ {
		key, value, ok := strings.Cut(entry, "=")
		if ok && strings.HasPrefix(key, prefix) {
			parameters[strings.ToLower(key[len(prefix):])] = value
		}
	}

	switch driver {
	case "filesystem", "s3":
		parameters["rootdirectory"] = root
	case "swift":
		// Our rootdirectory is a prefix before distribution's prefix; with no prefix given they
		// name the same objects. swift decodes its map with mapstructure, which does not convert
		// strings, so the numeric and boolean parameters are typed here.
		parameters["prefix"] = root
		for _, key := range []string{"authversion", "chunksize", "maxdeletesperrequest"} {
			if text, ok := parameters[key].(string); ok {
				number, err := strconv.Atoi(text)
				if err != nil {
					return nil, fmt.Errorf("swift parameter %s: %q is not a whole number", key, text)
				}

				parameters[key] = number
			}
		}

		for _, key := range []string{"insecureskipverify"} {
			if text, ok := parameters[key].(string); ok {
				parameters[key] = text == "true"
			}
		}
	default:
		return nil, fmt.Errorf("unknown driver %q: the Go peer runs filesystem, s3 and swift (the drivers Debian builds)", driver)
	}

	return parameters, nil
}
