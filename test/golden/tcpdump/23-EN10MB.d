(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 19
(002) ld       [22]
(003) jeq      #0xfe800000      jt 4	jf 10
(004) ld       [26]
(005) jeq      #0x0             jt 6	jf 10
(006) ld       [30]
(007) jeq      #0x0             jt 8	jf 10
(008) ld       [34]
(009) jeq      #0x1             jt 18	jf 10
(010) ld       [38]
(011) jeq      #0xfe800000      jt 12	jf 19
(012) ld       [42]
(013) jeq      #0x0             jt 14	jf 19
(014) ld       [46]
(015) jeq      #0x0             jt 16	jf 19
(016) ld       [50]
(017) jeq      #0x1             jt 18	jf 19
(018) ret      #262144
(019) ret      #0
