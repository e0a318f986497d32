driver: mlx5_core
version: 5.15.0-105-generic
firmware-version: 16.35.2000 (MT_0000000080)
expansion-rom-version: 
bus-info: 0000:3b:00.0
supports-statistics: yes
