"""The file storage of every environment: a bucket when one is configured, else the local disk."""


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str | None,
    access_key: str | None,
    secret_key: str | None,
    region: str | None,
    location: str = "",
    addressing_style: str = "path",
) -> dict:
    """django-storages' S3 backend on a private bucket (any S3-compatible server: AWS, MinIO, Ceph, ...)."""
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "access_key": access_key,
            "secret_key": secret_key,
            "region_name": region,
            "location": location,
            "client_config": Config(
                # MinIO and most S3-compatible servers want path-style URLs.
                s3={"addressing_style": addressing_style},
                signature_version="s3v4",
                # A store that does not answer fails the request within seconds (botocore's defaults
                # wait 60 s to connect and 60 s for each read, and try five times).
                connect_timeout=5,
                read_timeout=30,
                retries={"mode": "standard", "max_attempts": 3},
            ),
            "default_acl": None,
            # An existing name gets a suffix, as on the local disk, instead of being overwritten.
            "file_overwrite": False,
            "querystring_expire": 60,
            # A file read from the bucket is held in memory up to this size, above in a temporary file.
            "max_memory_size": 8 * 1024 * 1024,
        },
    }
