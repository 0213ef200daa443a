package main

import (
	"reflect"
	"testing"
)

func TestParametersComeFromTheDriversVariablesAndTheRoot(t *testing.T) {
	environ := []string{
		"REGSTORE_TEST_S3_BUCKET=regstore", "REGSTORE_TEST_S3_REGIONENDPOINT=http://127.0.0.1:7480",
		"REGSTORE_TEST_S3_FORCEPATHSTYLE=true", "REGSTORE_TEST_SWIFT_CONTAINER=other", "PATH=/usr/bin",
	}
	got, err := Parameters("s3", "regstore-bench/ab12", environ)
	want := map[string]interface{}{
		"bucket": "regstore", "regionendpoint": "http://127.0.0.1:7480", "forcepathstyle": "true",
		"rootdirectory": "regstore-bench/ab12",
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Parameters(s3) = %v, %v; want %v", got, err, want)
	}
}

// swift decodes with mapstructure, which does not turn "1" into an int.
func TestSwiftGetsItsRootAsPrefixAndTypedNumbers(t *testing.T) {
	environ := []string{"REGSTORE_TEST_SWIFT_AUTHVERSION=1", "REGSTORE_TEST_SWIFT_INSECURESKIPVERIFY=true", "REGSTORE_TEST_SWIFT_SECRETKEY=123"}
	got, err := Parameters("swift", "regstore-bench/ab12", environ)
	want := map[string]interface{}{"authversion": 1, "insecureskipverify": true, "secretkey": "123", "prefix": "regstore-bench/ab12"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Parameters(swift) = %v, %v; want %v", got, err, want)
	}

	if _, err := Parameters("swift", "r", []string{"REGSTORE_TEST_SWIFT_CHUNKSIZE=20MiB"}); err == nil {
		t.Error("a chunksize that is not a whole number was accepted")
	}
}

func TestOnlyTheDriversDebianBuildsAreAccepted(t *testing.T) {
	if _, err := Parameters("azure", "r", nil); err == nil {
		t.Error("azure was accepted")
	}
}
